// What every CodeMirror view in the app shares: the languages' grammars and the look. Apart
// from CodeEditor.tsx so a read-only viewer (the history's final code) can use them without
// loading the collaborative editor's Yjs bindings.
import { EditorState, type Compartment, type Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import type { RefObject } from 'react';

/** Highlighting for the languages that have a lean CodeMirror package; others are plain.
 * Each grammar is its own chunk, loaded when a room uses it. */
export async function languageSupport(language: string | null): Promise<Extension> {
  switch (language) {
    case 'python':
      return (await import('@codemirror/lang-python')).python();
    case 'javascript':
      return (await import('@codemirror/lang-javascript')).javascript();
    case 'typescript':
      return (await import('@codemirror/lang-javascript')).javascript({ typescript: true });
    case 'java':
      return (await import('@codemirror/lang-java')).java();
    case 'cpp':
    case 'c':
      return (await import('@codemirror/lang-cpp')).cpp();
    default:
      return [];
  }
}

export const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '14px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' },
});

/**
 * A view of `doc` in a shadow root of `host`, and the function that takes it away. The shadow
 * root is for the CSP: CodeMirror's style-mod writes a <style> element into a document, which
 * `style-src 'self'` refuses, but gives a shadow root a constructable stylesheet, which it
 * allows.
 */
export function mountInShadowRoot(
  host: HTMLElement,
  doc: string,
  extensions: Extension[],
  view: RefObject<EditorView | null>,
  fill = false,
): () => void {
  const shadow = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  const parent = document.createElement('div');
  if (fill) parent.style.height = '100%';
  shadow.replaceChildren(parent);
  const made = new EditorView({ root: shadow, parent, state: EditorState.create({ doc, extensions }) });
  view.current = made;
  return () => {
    view.current = null;
    made.destroy();
    parent.remove();
  };
}

/** Loads the language's grammar (a chunk of its own) into the view's compartment; the returned
 * function drops a grammar that arrives after the language or the view changed. */
export function applyLanguage(view: RefObject<EditorView | null>, slot: Compartment, language: string | null) {
  let current = true;
  void languageSupport(language).then((support) => {
    if (current) view.current?.dispatch({ effects: slot.reconfigure(support) });
  });
  return () => {
    current = false;
  };
}
