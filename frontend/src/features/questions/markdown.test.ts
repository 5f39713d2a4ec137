import { describe, expect, it } from 'vitest';
import { renderInlineMarkdown, renderMarkdown } from './markdown';

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

describe('renderInlineMarkdown', () => {
  it('renders code and emphasis in one line, without a paragraph around it', () => {
    const html = renderInlineMarkdown('`a` and `b` are **strictly** increasing');
    expect(html).toBe('<code>a</code> and <code>b</code> are <strong>strictly</strong> increasing');
  });

  it('keeps comparison signs as text and removes anything that runs', () => {
    expect(renderInlineMarkdown('0 <= n <= 10^5')).toBe('0 &lt;= n &lt;= 10^5');
    expect(renderInlineMarkdown('x <img src="x" onerror="alert(1)"> [y](javascript:alert(2))')).not.toMatch(
      /onerror|javascript:/i,
    );
  });
});
