import Editor, { type OnMount } from '@monaco-editor/react';
import { useEffect, useRef } from 'react';
import { setGuardVariables } from './monaco-setup';

type CodeEditor = Parameters<OnMount>[0];

/** A guard's json-logic in Monaco: checked as you type, `var` completing to the flow's variables. */
export default function GuardEditor({
  id,
  value,
  variables,
  onChange,
}: {
  id: string;
  value: string;
  variables: string[];
  onChange: (text: string) => void;
}) {
  const editor = useRef<CodeEditor | undefined>(undefined);
  // Every text the editor emitted since the last outside change: React may render any of them
  // after later keystrokes, and pushing one back would undo those keystrokes.
  const emitted = useRef(new Set<string>([value]));
  // Monaco mounts asynchronously: it must start from the text as it is then, not at first render.
  const latest = useRef(value);
  latest.current = value;
  const variableKey = variables.join('\n');
  // Keyed on the list, not its identity: every autosave makes a new array of the same names.
  useEffect(() => setGuardVariables(variables), [variableKey]);
  // The editor owns its text while one types; only a change from elsewhere (the rule builder,
  // Apply, another transition) is pushed in — pushing our own echo back would move the cursor.
  useEffect(() => {
    if (!editor.current || emitted.current.has(value)) return;
    emitted.current = new Set([value]);
    if (editor.current.getValue() !== value) editor.current.setValue(value);
  }, [value]);
  return (
    <div data-testid="guard-editor" className="guard-editor">
      <Editor
        height="160px"
        path={`guard-${id}.json`}
        language="json"
        defaultValue={value}
        onMount={(instance) => {
          editor.current = instance;
          emitted.current = new Set([latest.current]);
          if (instance.getValue() !== latest.current) instance.setValue(latest.current);
        }}
        onChange={(text) => {
          emitted.current.add(text ?? '');
          onChange(text ?? '');
        }}
        options={{
          minimap: { enabled: false },
          fontSize: 12,
          lineNumbers: 'off',
          scrollBeyondLastLine: false,
          tabSize: 2,
          automaticLayout: true,
          autoClosingBrackets: 'never',
          autoClosingQuotes: 'never',
          acceptSuggestionOnCommitCharacter: false,
          wordWrap: 'on',
        }}
      />
    </div>
  );
}
