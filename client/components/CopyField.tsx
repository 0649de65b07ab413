import { useState } from 'react';
import { useI18n } from '../i18n/i18n.js';

export function CopyField({ value, testId, label }: { value: string; testId?: string; label: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      const input = document.createElement('textarea');
      input.value = value;
      document.body.append(input);
      input.select();
      document.execCommand('copy');
      input.remove();
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div className="copy-field">
      <input readOnly value={value} aria-label={label} data-testid={testId} data-href={value} onFocus={(e) => e.currentTarget.select()} />
      <button type="button" className="btn btn-secondary" onClick={() => void copy()}>
        {copied ? t('common.copied') : t('common.copy')}
      </button>
    </div>
  );
}
