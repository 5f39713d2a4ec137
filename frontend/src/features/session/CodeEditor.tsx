// The shared editor: CodeMirror 6 bound to the room's Y.Text with y-codemirror.next, so both
// members edit one text and see each other's cursor and selection in the peer's colour.
// CodeMirror's styles go through constructable stylesheets, which the page's CSP allows.
import { defaultKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { Compartment, EditorState } from '@codemirror/state';
import {
  EditorView,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { applyLanguage, mountInShadowRoot, theme } from './codemirrorSetup';

export function CodeEditor({
  text,
  awareness,
  language,
  readOnly,
}: {
  text: Y.Text;
  awareness: WebsocketProvider['awareness'];
  language: string | null;
  readOnly: boolean;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const languageSlot = useRef(new Compartment());
  const editableSlot = useRef(new Compartment());

  useEffect(() => {
    if (!host.current) return;
    return mountInShadowRoot(
      host.current,
      text.toString(),
      [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        keymap.of([...yUndoManagerKeymap, ...defaultKeymap, indentWithTab]),
        languageSlot.current.of([]),
        editableSlot.current.of([]),
        EditorView.contentAttributes.of({ 'aria-label': 'Shared code editor' }),
        theme,
        yCollab(text, awareness),
      ],
      view,
      true,
    );
  }, [text, awareness]);

  useEffect(() => applyLanguage(view, languageSlot.current, language), [language, text, awareness]);

  useEffect(() => {
    view.current?.dispatch({
      effects: editableSlot.current.reconfigure([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]),
    });
  }, [readOnly, text, awareness]);

  return <div className="editor" ref={host} data-testid="editor" />;
}
