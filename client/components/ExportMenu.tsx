import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/en.js';
import { ApiError, download } from '../lib/api.js';
import { errorMessage } from '../lib/errorMessage.js';

const ACTION_ITEM_FORMATS = new Set(['csv', 'ics']);

export interface ExportItem {
  format: string;
  path: string;
}

/** Export menu: downloads go through fetch so the token stays in a header, never in a URL. */
export function ExportMenu({ items, token, label }: { items: ExportItem[]; token: string; label: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div className="menu" data-testid="export-menu" ref={root}>
      <button
        type="button"
        className="btn btn-secondary"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => {
          setFailed(null);
          setOpen((o) => !o);
        }}
      >
        {label} ▾
      </button>
      {open ? (
        <ul className="menu-list" role="menu">
          {items.map((i, n) => (
            // Minutes first, then the action-item lists, set apart by a line.
            <li key={i.format + i.path} role="none" className={n > 0 && ACTION_ITEM_FORMATS.has(i.format) && !ACTION_ITEM_FORMATS.has(items[n - 1]!.format) ? 'menu-sep' : undefined}>
              <button
                type="button"
                role="menuitem"
                data-testid={`export-${i.format}`}
                disabled={busy !== null}
                onClick={() => {
                  setBusy(i.format);
                  setFailed(null);
                  download(i.path, token, `export.${i.format}`)
                    .then(() => setOpen(false))
                    .catch((err: unknown) => setFailed(err instanceof ApiError ? errorMessage(err, t) : t('export.failed')))
                    .finally(() => setBusy(null));
                }}
              >
                {t(`export.${i.format}` as MessageKey)}
                {busy === i.format ? ' …' : ''}
              </button>
            </li>
          ))}
          {failed ? (
            <li role="none" className="menu-error" data-testid="export-error">
              <span role="alert">{failed}</span>
            </li>
          ) : null}
        </ul>
      ) : null}
    </div>
  );
}
