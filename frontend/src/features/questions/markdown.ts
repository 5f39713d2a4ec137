// Question descriptions are Markdown written by admins. `marked` turns them into HTML and
// DOMPurify removes anything that could run (scripts, event handlers, javascript: links)
// before it reaches the page: marked alone does not sanitise.
import DOMPurify from 'dompurify';
import { marked } from 'marked';

export function renderMarkdown(source: string): string {
  const html = marked.parse(source, { async: false, gfm: true });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}

/** One line of Markdown (a constraint, an example's explanation): `code`, emphasis, links,
 * and no block elements; sanitised the same way. */
export function renderInlineMarkdown(source: string): string {
  const html = marked.parseInline(source, { async: false, gfm: true });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}
