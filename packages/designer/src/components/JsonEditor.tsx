import Editor from '@monaco-editor/react';
import './monaco-setup';

/** The whole flow document in Monaco, validated against the flow schema as you type. */
export default function JsonEditor({
  value,
  onChange,
}: {
  value: string;
  onChange: (text: string) => void;
}) {
  return (
    <Editor
      height="60vh"
      path="flow.json"
      language="json"
      value={value}
      onChange={(text) => onChange(text ?? '')}
      options={{
        minimap: { enabled: false },
        fontSize: 12,
        scrollBeyondLastLine: false,
        tabSize: 2,
        automaticLayout: true,
      }}
    />
  );
}
