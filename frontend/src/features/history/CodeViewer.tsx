// The final code of an attempt, read-only, highlighted for its language. CodeMirror lives in
// a shadow root of its own for the same reason as the session's editor (CodeEditor.tsx): the
// CSP refuses the <style> element it would add to the document, and allows the constructable
// stylesheet it gives a shadow root. Read-only but still focusable, so a keyboard user can
// move through the code, select it and copy it.
import { defaultKeymap } from '@codemirror/commands';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, drawSelection, keymap, lineNumbers } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { applyLanguage, mountInShadowRoot, theme } from '../session/codemirrorSetup';

/** Long code scrolls inside the viewer instead of stretching the page. */
const viewerTheme = EditorView.theme({
  '&': { maxHeight: '70vh' },
  '.cm-scroller': { overflow: 'auto' },
});

export function CodeViewer({ code, language, label }: { code: string; language: string; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const languageSlot = useRef(new Compartment());

  useEffect(() => {
    if (!host.current) return;
    return mountInShadowRoot(
      host.current,
      code,
      [
        lineNumbers(),
        drawSelection(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        keymap.of(defaultKeymap),
        EditorState.readOnly.of(true),
        languageSlot.current.of([]),
        // An explicit tab stop: axe does not count a contenteditable as one, and the code
        // scrolls sideways on a phone, so it must be seen to be reachable.
        EditorView.contentAttributes.of({ 'aria-label': label, 'aria-readonly': 'true', tabindex: '0' }),
        theme,
        viewerTheme,
      ],
      view,
    );
  }, [code, label]);

  useEffect(() => applyLanguage(view, languageSlot.current, language), [language, code, label]);

  return <div className="code-viewer" ref={host} data-testid="code-viewer" />;
}
