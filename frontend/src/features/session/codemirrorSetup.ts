// What every CodeMirror view in the app shares: the languages' grammars and the look. Apart
// from CodeEditor.tsx so a read-only viewer (the history's final code) can use them without
// loading the collaborative editor's Yjs bindings.
import type { Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';

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
