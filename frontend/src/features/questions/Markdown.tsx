import { useMemo } from 'react';
import { renderInlineMarkdown, renderMarkdown } from './markdown';

/** Markdown as HTML: a block (a description) or, `inline`, one line (a constraint). */
export function Markdown({ source, inline = false }: { source: string; inline?: boolean }) {
  const html = useMemo(() => (inline ? renderInlineMarkdown(source) : renderMarkdown(source)), [source, inline]);
  // Safe: both renderers sanitise with DOMPurify.
  if (inline) return <span className="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
  return <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
