import { useMemo } from 'react';
import { renderMarkdown } from './markdown';

export function Markdown({ source }: { source: string }) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  // Safe: renderMarkdown sanitises with DOMPurify.
  return <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
