import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('renders Markdown', () => {
    const html = renderMarkdown('Return the sum of the first `n` **odd** numbers.\n\n- a\n- b');
    expect(html).toContain('<code>n</code>');
    expect(html).toContain('<strong>odd</strong>');
    expect(html).toContain('<li>a</li>');
  });

  it('removes scripts, handlers and javascript: links', () => {
    const html = renderMarkdown(
      'Hi <script>alert(1)</script><img src="x" onerror="alert(2)"> [click](javascript:alert(3))',
    );
    expect(html).not.toMatch(/<script|onerror|javascript:/i);
  });
});
