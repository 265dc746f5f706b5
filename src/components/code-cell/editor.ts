/**
 * The CodeMirror 6 editor of a code cell, loaded by `import()` only when a cell scrolls into view
 * or gets focus. Colours come from CSS custom properties (src/styles/global.css), so the editor
 * follows light and dark mode without a redraw. Tab is left to the browser (CodeMirror's default
 * without `indentWithTab`), so keyboard users can leave the editor; Ctrl/Cmd+Enter runs and
 * Shift+Ctrl/Cmd+Enter checks.
 */
import { EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { typescriptLanguage } from '@codemirror/lang-javascript';
import { bracketMatching, HighlightStyle, indentOnInput, LanguageSupport, syntaxHighlighting } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

export interface CellEditor {
  code(): string;
  setCode(code: string): void;
  focus(): void;
}

const theme = EditorView.theme({
  '&': {
    color: 'var(--color-fg)',
    backgroundColor: 'var(--color-surface)',
    border: '1px solid var(--color-border)',
    borderRadius: 'var(--radius)',
    fontSize: '0.9rem',
  },
  '&.cm-focused': { outline: '2px solid var(--color-focus)', outlineOffset: '1px' },
  '.cm-content': { fontFamily: 'var(--font-mono)', caretColor: 'var(--color-fg)' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.45' },
  '.cm-gutters': { backgroundColor: 'var(--color-surface)', color: 'var(--color-muted)', borderRight: '1px solid var(--color-border)' },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'color-mix(in srgb, var(--color-accent) 8%, transparent)' },
  '.cm-cursor': { borderLeftColor: 'var(--color-fg)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'color-mix(in srgb, var(--color-accent) 30%, transparent)',
  },
  '.cm-tooltip': { backgroundColor: 'var(--color-bg)', color: 'var(--color-fg)', border: '1px solid var(--color-border)' },
});

const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword, t.operatorKeyword], color: 'var(--code-keyword)' },
  { tag: [t.string, t.regexp], color: 'var(--code-string)' },
  { tag: [t.number, t.bool, t.null], color: 'var(--code-number)' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: 'var(--code-comment)', fontStyle: 'italic' },
  {
    tag: [t.function(t.variableName), t.function(t.propertyName), t.definition(t.function(t.variableName))],
    color: 'var(--code-function)',
  },
  { tag: [t.typeName, t.className], color: 'var(--code-type)' },
]);

export function createEditor(
  parent: HTMLElement,
  doc: string,
  handlers: { label: string; onChange(code: string): void; onRun(): void; onCheck(): void },
): CellEditor {
  const run = (action: () => void) => () => {
    action();
    return true;
  };
  const view = new EditorView({
    doc,
    parent,
    extensions: [
      keymap.of([
        { key: 'Mod-Enter', run: run(handlers.onRun) },
        { key: 'Shift-Mod-Enter', run: run(handlers.onCheck) },
      ]),
      // A small setup rather than `basicSetup`: no search panel, autocompletion or lint, which a
      // twenty-line cell does not need, for about half the download.
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightActiveLine(),
      history(),
      drawSelection(),
      indentOnInput(),
      bracketMatching(),
      closeBrackets(),
      keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap]),
      // TypeScript's grammar also reads plain JavaScript, and the cell accepts both.
      new LanguageSupport(typescriptLanguage),
      syntaxHighlighting(highlight),
      theme,
      EditorView.contentAttributes.of({ 'aria-label': handlers.label }),
      // No line wrapping: with it, CodeMirror estimates the height of the lines it has not drawn
      // yet, and the editor came out 380 px taller than the starter code it replaced on lesson 3,
      // moving every button below it while a reader clicked (it failed a test under load). Unwrapped
      // lines have one known height, the editor's natural height matches the text it replaces, and
      // a long line scrolls sideways inside the editor, following the cursor for keyboard users.
      EditorView.updateListener.of((u) => {
        if (u.docChanged) handlers.onChange(u.state.doc.toString());
      }),
    ],
  });
  // A long line scrolls sideways inside the editor. The cursor brings it into view as it moves, but
  // the scrolling box itself must be reachable from the keyboard too (WCAG 2.1.1; axe's
  // scrollable-region-focusable), so it is one tab stop before the code.
  view.scrollDOM.tabIndex = 0;
  return {
    code: () => view.state.doc.toString(),
    setCode(code) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } });
    },
    focus: () => view.focus(),
  };
}
