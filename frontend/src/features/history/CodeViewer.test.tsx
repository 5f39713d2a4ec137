import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { CodeViewer } from './CodeViewer';

afterEach(cleanup);

// jsdom lays nothing out; CodeMirror asks ranges for their rectangles when it measures.
beforeAll(() => {
  const empty = { length: 0, item: () => null, [Symbol.iterator]: [][Symbol.iterator] };
  Range.prototype.getClientRects = () => empty as unknown as DOMRectList;
  Range.prototype.getBoundingClientRect = () => new DOMRect();
});

function content(): HTMLElement {
  const host = screen.getByTestId('code-viewer');
  const found = host.shadowRoot?.querySelector<HTMLElement>('.cm-content');
  if (!found) throw new Error('no CodeMirror content in the shadow root');
  return found;
}

it('shows the code in a shadow root, labelled and read-only', () => {
  render(<CodeViewer code={'print(1)\nprint(2)'} language="python" label="Final code (Python)" />);
  const code = content();
  expect(code.textContent).toContain('print(1)');
  expect(code.textContent).toContain('print(2)');
  expect(code.getAttribute('aria-label')).toBe('Final code (Python)');
  expect(code.getAttribute('aria-readonly')).toBe('true');
  expect(code.getAttribute('role')).toBe('textbox');
  expect(code.getAttribute('tabindex')).toBe('0');
});

it('highlights the language once its grammar has loaded', async () => {
  render(<CodeViewer code={'def f():\n    return 1'} language="python" label="Final code" />);
  // The grammar arrives asynchronously; highlighted tokens are spans with generated classes.
  await waitFor(() => expect(content().querySelector('span[class]')).not.toBeNull());
});

it('shows a language without a grammar as plain text', async () => {
  render(<CodeViewer code="fn main() {}" language="rust" label="Final code (Rust)" />);
  expect(content().textContent).toBe('fn main() {}');
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(content().querySelector('span[class]')).toBeNull();
});
