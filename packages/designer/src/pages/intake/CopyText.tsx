import { Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A text shown to copy (an address, a URL), with a button that copies it. */
export function CopyText({ text }: { text: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Without clipboard access (plain http), the text is selected for Ctrl+C instead.
      const range = document.createRange();
      range.selectNodeContents(document.getElementById(`copy-${text}`)!);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
    }
    setCopied(true);
  }
  return (
    <span className="copy-text">
      <code id={`copy-${text}`} data-testid="address">
        {text}
      </code>
      <Button size="small" onClick={() => void copy()}>
        {copied ? t('intake.copied') : t('intake.copy')}
      </Button>
    </span>
  );
}
