import { DiffEditor } from '@monaco-editor/react';
import './monaco-setup';

/** Two flow documents side by side in Monaco's diff view (read-only). */
export default function JsonDiff({ before, after }: { before: string; after: string }) {
  return (
    <DiffEditor
      height="50vh"
      language="json"
      original={before}
      modified={after}
      options={{
        readOnly: true,
        renderSideBySide: false,
        minimap: { enabled: false },
        fontSize: 12,
        scrollBeyondLastLine: false,
        automaticLayout: true,
      }}
    />
  );
}
