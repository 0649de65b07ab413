import { useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/en.js';
import { download } from '../lib/api.js';

export interface ExportItem {
  format: string;
  path: string;
}

/** Export menu: downloads go through fetch so the token stays in a header. */
export function ExportMenu({ items, token, label }: { items: ExportItem[]; token: string; label: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  return (
    <div className="menu" data-testid="export-menu">
      <button type="button" className="btn btn-secondary" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {label} ▾
      </button>
      {open ? (
        <ul className="menu-list" role="menu">
          {items.map((i) => (
            <li key={i.format + i.path}>
              <button
                type="button"
                role="menuitem"
                data-testid={`export-${i.format}`}
                disabled={busy !== null}
                onClick={() => {
                  setBusy(i.format);
                  download(i.path, token, `export.${i.format}`)
                    .catch((err: unknown) => window.alert(String(err)))
                    .finally(() => {
                      setBusy(null);
                      setOpen(false);
                    });
                }}
              >
                {t(`export.${i.format}` as MessageKey)}
                {busy === i.format ? ' …' : ''}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
