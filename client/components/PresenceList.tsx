import type { PresenceUser } from '../collab/collabSession.js';
import { useI18n } from '../i18n/i18n.js';

/**
 * "Here now": the note-takers, then the readers who chose to give their name,
 * then how many other readers there are (readers are only counted unless
 * they chose to appear).
 */
export function PresenceList({ users, readers, onPick, picked }: { users: PresenceUser[]; readers: number; onPick?: (u: PresenceUser) => void; picked?: number | null }) {
  const { t } = useI18n();
  const writers = users.filter((u) => u.role !== 'view');
  const namedReaders = users.filter((u) => u.role === 'view');
  const others = Math.max(0, readers - namedReaders.length);
  return (
    <div className="presence" data-testid="presence">
      <ul aria-label={t('session.presence.title')}>
        {[...writers, ...namedReaders].map((u) => (
          <li key={u.clientId} className={picked === u.clientId ? 'picked' : ''}>
            <button type="button" className="presence-user" onClick={() => onPick?.(u)} disabled={!onPick} title={u.name}>
              <span className="avatar" style={{ background: u.color }} aria-hidden="true">
                {[...u.name][0]?.toUpperCase()}
              </span>
              <span className="presence-name">
                {u.name} {u.isSelf ? <span className="muted">{t('session.presence.you')}</span> : null} {u.role === 'view' ? <span className="muted">· {t('session.presence.reading')}</span> : null}
              </span>
              {u.typing && !u.isSelf ? <span className="typing">{t('session.presence.typing')}</span> : null}
            </button>
          </li>
        ))}
      </ul>
      <span className="readers" data-testid="readers">
        {others === 1 ? t('event.live.viewer1') : t('session.presence.readers', { n: others })}
      </span>
    </div>
  );
}
