import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import type { Role } from '../../shared/roles.js';
import { useI18n } from '../i18n/i18n.js';
import { apiClient } from '../lib/api.js';
import { useEventLinks } from '../lib/useEventLinks.js';
import { joinLink, type JoinRole } from './joinLink.js';

const CHOICE_KEY = 'roundtable:projector:join';

/**
 * QR code and link for people in the room; a moderator picks edit or view.
 * `linksVersion` changes when a moderator rotated a link (useEvent): the links
 * and the short code are fetched again, so the room never scans a dead link.
 */
export function JoinPanel({ eventRef, slug, sessionId, role, token, linksVersion = 0 }: { eventRef: string; slug: string; sessionId: string; role: Role; token: string; linksVersion?: number }) {
  const { t } = useI18n();
  const [links] = useEventLinks(eventRef, token, { enabled: role === 'moderate', linksVersion });
  const [chosen, setChosen] = useState<JoinRole>(() => (localStorage.getItem(CHOICE_KEY) === 'view' ? 'view' : 'edit'));
  const [qr, setQr] = useState('');

  const join = joinLink({ origin: window.location.origin, slug, sessionId, role, token, links, chosen });
  const url = join?.url ?? '';

  useEffect(() => {
    if (!url) return;
    let cancelled = false;
    // Dark modules on white with a quiet zone, whatever the theme: phones read that best.
    void QRCode.toDataURL(url, { margin: 2, width: 480, errorCorrectionLevel: 'M', color: { dark: '#000000', light: '#ffffff' } }).then((d) => !cancelled && setQr(d));
    return () => {
      cancelled = true;
    };
  }, [url]);

  // The short URL people can type from the screen; the QR code keeps the full link, which never expires.
  const [short, setShort] = useState<{ url: string; role: JoinRole } | null>(null);
  const joinRole = join?.role ?? null;
  useEffect(() => {
    if (!joinRole) return;
    let cancelled = false;
    apiClient(token).joinCode(sessionId, joinRole).then(
      (r) => !cancelled && setShort({ url: r.url, role: joinRole }),
      () => !cancelled && setShort(null),
    );
    return () => {
      cancelled = true;
    };
  }, [sessionId, token, joinRole, url]);

  const choose = (r: JoinRole) => {
    setChosen(r);
    localStorage.setItem(CHOICE_KEY, r);
  };
  const [address, fragment] = url.replace(/^https?:\/\//, '').split('#');

  return (
    <div className="join" data-testid="join-panel" data-role={join?.role ?? ''}>
      <h2>{join?.role === 'edit' ? t('present.joinScanEdit') : t('present.joinScanView')}</h2>
      {qr && url ? <img src={qr} alt={url} data-testid="join-qr" data-url={url} /> : <div className="join-qr-placeholder" />}
      {short && short.role === joinRole ? (
        <p className="join-short" data-testid="join-short">
          <span className="join-short-host">{short.url.replace(/^https?:\/\//, '').replace(/[^/]+$/, '')}</span>
          <span className="join-short-code">{short.url.replace(/^.*\//, '')}</span>
        </p>
      ) : null}
      {url ? (
        <p className="join-url" data-testid="join-url">
          <span>{address}</span>
          <span className="join-token">#{fragment}</span>
        </p>
      ) : null}
      {role === 'moderate' ? (
        <div className="join-toggle" role="group" aria-label={t('present.join')}>
          <button type="button" className={chosen === 'edit' ? 'is-active' : ''} aria-pressed={chosen === 'edit'} data-testid="join-edit" onClick={() => choose('edit')}>
            {t('present.joinEdit')}
          </button>
          <button type="button" className={chosen === 'view' ? 'is-active' : ''} aria-pressed={chosen === 'view'} data-testid="join-view" onClick={() => choose('view')}>
            {t('present.joinView')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
