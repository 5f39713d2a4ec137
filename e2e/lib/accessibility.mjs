// Accessibility: axe-core (through @axe-core/playwright) on a page as a person sees it. Only
// serious and critical violations count, as the frontend issue asks; each is reported with
// the rule, what it means, and where on the page.
import { AxeBuilder } from '@axe-core/playwright';

const COUNTED = new Set(['serious', 'critical']);

/** The serious and critical violations on the page now, one line each. */
export async function axeViolations(page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => COUNTED.has(v.impact))
    .map((v) => {
      const where = v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' > '))
        .join('; ');
      return `${v.id} (${v.impact}): ${v.help} at ${where}`;
    });
}
