import { useState } from 'react';
import type { SessionDto, SessionState } from '../../shared/schemas.js';
import { useI18n } from '../i18n/i18n.js';
import { apiClient } from '../lib/api.js';
import { errorMessage } from '../lib/errorMessage.js';

/** Lock, state and "now discussing" for moderators; carry forward open items. */
export function ModeratorControls({ session, sessions, token, onChange }: { session: SessionDto; sessions: SessionDto[]; token: string; onChange: () => void }) {
  const { t } = useI18n();
  const [topic, setTopic] = useState(session.nowDiscussing ?? '');
  const [carried, setCarried] = useState<number | null>(null);
  const [carryFrom, setCarryFrom] = useState('');
  const [carryError, setCarryError] = useState<string | null>(null);
  const [patchError, setPatchError] = useState<string | null>(null);
  const patch = (body: object) => {
    setPatchError(null);
    apiClient(token).patchSession(session.id, body).then(onChange, (err: unknown) => setPatchError(errorMessage(err, t)));
  };
  return (
    <section className="side-card" data-testid="moderator-controls">
      <h2>{t('session.moderator.title')}</h2>
      <button type="button" className={`btn ${session.locked ? '' : 'btn-secondary'}`} data-testid="lock-toggle" onClick={() => patch({ locked: !session.locked })}>
        {session.locked ? t('session.moderator.unlock') : t('session.moderator.lock')}
      </button>
      {session.locked ? (
        <p className="muted small" data-testid="locked-hint">
          {t('session.moderator.lockedHint')}
        </p>
      ) : null}
      <label>
        {t('session.moderator.state')}
        <select value={session.state} data-testid="state-select" onChange={(e) => patch({ state: e.target.value as SessionState })}>
          {(['scheduled', 'live', 'ended'] as const).map((s) => (
            <option key={s} value={s}>
              {t(`event.state.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <form
        className="moderator-topic"
        onSubmit={(e) => {
          e.preventDefault();
          patch({ nowDiscussing: topic.trim() || null });
        }}
      >
        <label>
          {t('session.moderator.nowDiscussing')}
          <span className="moderator-topic-row">
            <input value={topic} maxLength={300} onChange={(e) => setTopic(e.target.value)} data-testid="now-discussing-input" />
            <button type="submit" className="btn btn-secondary" data-testid="now-discussing-set">
              {t('session.moderator.set')}
            </button>
          </span>
        </label>
      </form>
      {patchError ? (
        <p className="error small" role="alert">
          {patchError}
        </p>
      ) : null}
      <form
        className="carry-forward"
        data-testid="carry-forward"
        onSubmit={(e) => {
          e.preventDefault();
          const source = sessions.find((s) => s.id === carryFrom);
          if (!source) return;
          setCarried(null);
          setCarryError(null);
          apiClient(token)
            .carryForward(session.id, { fromSessionId: source.id, heading: t('session.moderator.carryHeading', { title: source.title }) }).then(
            (r) => setCarried(r.copied),
            (err: unknown) => setCarryError(errorMessage(err, t)),
          );
        }}
      >
        <label>
          {t('session.moderator.carry')}
          <select value={carryFrom} onChange={(e) => setCarryFrom(e.target.value)} data-testid="carry-from">
            <option value="">—</option>
            {sessions
              .filter((s) => s.id !== session.id)
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title}
                </option>
              ))}
          </select>
        </label>
        <button type="submit" className="btn btn-secondary" disabled={!carryFrom} data-testid="carry-submit">
          {t('session.moderator.carryButton')}
        </button>
      </form>
      {carried !== null ? <p className="muted small" role="status">{t('session.moderator.carryDone', { n: carried })}</p> : null}
      {carryError ? <p className="error small" role="alert">{carryError}</p> : null}
    </section>
  );
}
