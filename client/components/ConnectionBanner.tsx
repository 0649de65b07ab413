import { useId, useState, type ReactNode } from 'react';
import type { CollabStatus } from '../collab/savedStatus.js';
import { useI18n } from '../i18n/i18n.js';
import { storeToken } from '../lib/tokens.js';
import { rejoinTarget } from './rejoinTarget.js';

type BannerKind = 'revoked' | 'unauthorized' | 'damaged' | 'gone' | 'reload' | 'refused';
const KINDS = new Set<CollabStatus>(['revoked', 'unauthorized', 'damaged', 'gone', 'reload', 'refused']);

/** Opens the new link (a full reload, so every part of the page starts over with the new key). */
function openTarget(input: string, here: { eventRef: string; path: string }): boolean {
  const target = rejoinTarget(input, here);
  if (!target) return false;
  if (target.kind === 'code') {
    window.location.assign(target.url);
    return true;
  }
  storeToken(target.eventRef, target.token);
  // Same path and a new fragment would not reload by itself.
  window.history.replaceState(null, '', target.url);
  window.location.reload();
  return true;
}

/**
 * Says, in the page, why this connection can no longer save and how to get
 * back in: a moderator replaced the link (4409, paste the new link or a join
 * code), the notes are damaged (4422, the server's reason, read-only), the
 * session is gone, or the page must be reloaded.
 */
export function ConnectionBanner({ status, reason, eventRef, compact = false, body, children }: { status: CollabStatus; reason: string | null; eventRef: string; compact?: boolean; body?: string; children?: ReactNode }) {
  const { t } = useI18n();
  const [value, setValue] = useState('');
  const [invalid, setInvalid] = useState(false);
  const inputId = useId();
  const errorId = useId();
  if (!KINDS.has(status)) return null;
  const kind = status as BannerKind;
  const rejoin = kind === 'revoked' || kind === 'unauthorized';
  return (
    <section className={`connection-banner banner-${kind}${compact ? ' is-compact' : ''}`} role="alert" data-testid="connection-banner" data-kind={kind}>
      <h2>{t(`banner.${kind}.title`)}</h2>
      {/* `body`: the page's own words for it (the schedule has no notes to save). */}
      {compact ? null : <p>{body ?? t(`banner.${kind}.body`)}</p>}
      {reason && kind === 'damaged' ? <p data-testid="banner-reason">{t('banner.reason', { reason })}</p> : null}
      {children}
      {rejoin ? (
        <form
          className="rejoin"
          onSubmit={(e) => {
            e.preventDefault();
            if (!openTarget(value, { eventRef, path: window.location.pathname })) setInvalid(true);
          }}
        >
          <label htmlFor={inputId}>{t('banner.rejoin.label')}</label>
          <span className="rejoin-row">
            <input
              id={inputId}
              data-testid="rejoin-input"
              value={value}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={invalid}
              aria-describedby={invalid ? errorId : undefined}
              onChange={(e) => {
                setValue(e.target.value);
                setInvalid(false);
              }}
            />
            <button type="submit" className="btn" data-testid="rejoin-submit" disabled={!value.trim()}>
              {t('banner.rejoin.submit')}
            </button>
          </span>
          {invalid ? (
            <p className="error small" id={errorId}>
              {t('banner.rejoin.invalid')}
            </p>
          ) : null}
        </form>
      ) : null}
      {/* After a repair, or an update, a reload is how to get back to writing. */}
      {kind === 'reload' || kind === 'refused' || kind === 'damaged' ? (
        <button type="button" className="btn" onClick={() => window.location.reload()}>
          {t('session.status.reloadButton')}
        </button>
      ) : null}
    </section>
  );
}

/** A page opened with a link that does not (or no longer) work: say so, and take the new link or a join code right here. */
export function LinkInvalidPage({ eventRef, header }: { eventRef: string; header: ReactNode }) {
  return (
    <div className="page">
      {header}
      <main className="center link-invalid">
        <ConnectionBanner status="unauthorized" reason={null} eventRef={eventRef} />
      </main>
    </div>
  );
}
