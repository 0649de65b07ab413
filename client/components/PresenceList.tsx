import type { PresenceUser } from '../collab/collabSession.js';
import { useI18n } from '../i18n/i18n.js';

export function PresenceList({ users, readers, onPick, picked }: { users: PresenceUser[]; readers: number; onPick?: (u: PresenceUser) => void; picked?: number | null }) {
  const { t } = useI18n();
  const writers = users.filter((u) => u.role !== 'view');
  return (
    <div className="presence" data-testid="presence" aria-label={t('session.presence.title')}>
      <ul>
        {writers.map((u) => (
          <li key={u.clientId} className={picked === u.clientId ? 'picked' : ''}>
            <button type="button" className="presence-user" onClick={() => onPick?.(u)} disabled={!onPick} title={u.name}>
              <span className="avatar" style={{ background: u.color }} aria-hidden="true">
                {[...u.name][0]?.toUpperCase()}
              </span>
              <span className="presence-name">
                {u.name} {u.isSelf ? <span className="muted">{t('session.presence.you')}</span> : null}
              </span>
              {u.typing && !u.isSelf ? <span className="typing">{t('session.presence.typing')}</span> : null}
            </button>
          </li>
        ))}
      </ul>
      <span className="readers" data-testid="readers">
        {readers === 1 ? t('event.live.viewer1') : t('session.presence.readers', { n: readers })}
      </span>
    </div>
  );
}
