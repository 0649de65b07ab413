import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/en.js';
import { ApiError, download } from '../lib/api.js';
import { errorMessage } from '../lib/errorMessage.js';

const ACTION_ITEM_FORMATS = new Set(['csv', 'ics']);

export interface ExportItem {
  format: string;
  path: string;
}

/**
 * Export menu, an ARIA menu button: Enter, Space or ↓ opens it on the first
 * item (↑ on the last), arrows move round the items, Home and End jump,
 * Escape (or Tab) closes it and Escape gives focus back to the button.
 * Downloads go through fetch so the token stays in a header, never in a URL.
 */
export function ExportMenu({ items, token, label }: { items: ExportItem[]; token: string; label: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  const buttonId = useId();
  const menuId = useId();

  const close = (returnFocus: boolean) => {
    setOpen(false);
    setFocusIndex(null);
    if (returnFocus) button.current?.focus();
  };
  const openAt = (index: number) => {
    setFailed(null);
    setOpen(true);
    setFocusIndex((index + items.length) % items.length);
  };

  useEffect(() => {
    if (open && focusIndex !== null) itemRefs.current[focusIndex]?.focus();
  }, [open, focusIndex]);

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) close(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const onButtonKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      openAt(0);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      openAt(items.length - 1);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      close(true);
    }
  };

  const onMenuKey = (e: KeyboardEvent) => {
    const at = focusIndex ?? 0;
    const moves: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 };
    if (e.key in moves) {
      e.preventDefault();
      setFocusIndex((moves[e.key]! + items.length) % items.length);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close(true);
    } else if (e.key === 'Tab') close(false);
  };

  const choose = (i: ExportItem) => {
    if (busy !== null) return;
    setBusy(i.format);
    setFailed(null);
    download(i.path, token, `export.${i.format}`)
      .then(() => close(true))
      .catch((err: unknown) => setFailed(err instanceof ApiError ? errorMessage(err, t) : t('export.failed')))
      .finally(() => setBusy(null));
  };

  return (
    <div className="menu" data-testid="export-menu" ref={root}>
      <button
        ref={button}
        id={buttonId}
        type="button"
        className="btn btn-secondary"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onKeyDown={onButtonKey}
        onClick={(e) => {
          // Keys open it in onButtonKey; a click a key produced (detail 0) would toggle it shut again.
          if (e.detail === 0) return;
          if (open) close(false);
          else openAt(0);
        }}
      >
        {label} <span aria-hidden="true">▾</span>
      </button>
      {open ? (
        <ul className="menu-list" role="menu" id={menuId} aria-labelledby={buttonId} onKeyDown={onMenuKey}>
          {items.map((i, n) => (
            // Minutes first, then the action-item lists, set apart by a line.
            <li key={i.format + i.path} role="none" className={n > 0 && ACTION_ITEM_FORMATS.has(i.format) && !ACTION_ITEM_FORMATS.has(items[n - 1]!.format) ? 'menu-sep' : undefined}>
              <button
                ref={(el) => {
                  itemRefs.current[n] = el;
                }}
                type="button"
                role="menuitem"
                tabIndex={-1}
                data-testid={`export-${i.format}`}
                aria-disabled={busy !== null}
                onFocus={() => setFocusIndex(n)}
                onClick={() => choose(i)}
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
