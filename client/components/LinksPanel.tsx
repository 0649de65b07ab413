import { useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { apiClient } from '../lib/api.js';
import { useEventLinks } from '../lib/useEventLinks.js';
import { storeToken } from '../lib/tokens.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { CopyField } from './CopyField.js';

/**
 * The event's three links, each with Rotate. `linksVersion` changes when a
 * moderator (here or on another device) rotated one (useEvent): the links are
 * fetched again, so Copy never hands out a dead link.
 */
export function LinksPanel({ eventRef, token, linksVersion = 0 }: { eventRef: string; token: string; linksVersion?: number }) {
  const { t } = useI18n();
  const [links, setLinks] = useEventLinks(eventRef, token, { enabled: true, linksVersion });
  const [confirming, setConfirming] = useState<'edit' | 'view' | 'moderate' | null>(null);
  if (!links) return null;
  const rotate = (role: 'edit' | 'view' | 'moderate') =>
    void apiClient(token).rotateLink(eventRef, role).then((r) => {
      setLinks((now) => (now ? { ...now, [role]: r.link } : now));
      if (role === 'moderate') {
        storeToken(eventRef, r.token);
        window.location.hash = `k=${r.token}`;
        window.location.reload();
      }
    });
  return (
    <section className="card links-panel">
      <h2>{t('event.links')}</h2>
      {(['edit', 'view', 'moderate'] as const).map((role) => (
        <div className="link-row" key={role}>
          <h3>{t(`home.links.${role}`)}</h3>
          <p className="muted">{t(`home.links.${role}Who`)}</p>
          <div className="row">
            <CopyField value={links[role]} testId={`link-${role}`} label={t(`home.links.${role}`)} />
            <button
              type="button"
              className="btn btn-danger"
              data-testid={`rotate-${role}`}
              onClick={() => setConfirming(role)}
            >
              {t('event.links.rotate')}
            </button>
          </div>
        </div>
      ))}
      {confirming ? (
        <ConfirmDialog
          title={t('event.links.rotateTitle', { role: t(`home.links.${confirming}`) })}
          confirmLabel={t('event.links.rotate')}
          danger
          testId="rotate-confirm"
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            const role = confirming;
            setConfirming(null);
            rotate(role);
          }}
        >
          <p>{t('event.links.rotateConfirm')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
