import { useId, useState, type Ref } from 'react';
import type { SessionDto } from '../../shared/schemas.js';
import { parseRoomList } from '../../shared/sessionFields.js';
import { useI18n } from '../i18n/i18n.js';
import { apiClient } from '../lib/api.js';
import { errorMessage } from '../lib/errorMessage.js';
import { checkSessionTimes, type SessionFormErrors } from './sessionForm.js';

const list = (s: string) => s.split(/[,、]/).map((x) => x.trim()).filter(Boolean);

export function AddSessionForm({ eventRef, token, tz, onAdded, titleRef }: { eventRef: string; token: string; tz: string; onAdded: (s: SessionDto) => void; titleRef?: Ref<HTMLInputElement> }) {
  const { t } = useI18n();
  const [f, setF] = useState({ title: '', date: '', start: '', end: '', room: '', moderators: '', tags: '' });
  // Kept as the error itself, so its message follows a switch of the UI language.
  const [error, setError] = useState<unknown>(null);
  // A time without a date (or a date without a start) is refused here, as in the Edit dialog, instead of being dropped.
  const [timeErrors, setTimeErrors] = useState<SessionFormErrors>({});
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => {
    setF({ ...f, [k]: e.target.value });
    if (k === 'date' || k === 'start' || k === 'end') setTimeErrors({});
  };
  const timeErrorId = useId();
  const timeError = timeErrors.date ?? timeErrors.start ?? timeErrors.end;
  return (
    <form
      className="card add-session"
      data-testid="add-session-form"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        const times = checkSessionTimes(f, tz);
        // A missing date or start is refused here; an end before the start goes to the server, whose message says so.
        const missing = Boolean(times.errors.date ?? times.errors.start);
        setTimeErrors(missing ? times.errors : {});
        if (missing) return;
        apiClient(token)
          .createSession(eventRef, {
            title: f.title,
            startsAt: times.startsAt ?? undefined,
            endsAt: times.endsAt ?? undefined,
            rooms: parseRoomList(f.room),
            moderators: list(f.moderators),
            tags: list(f.tags),
          }).then(
          (s) => {
            setF({ ...f, title: '', start: f.end, end: '' });
            onAdded(s);
          },
          (err: unknown) => setError(err),
        );
      }}
    >
      <h2>{t('event.addSession')}</h2>
      <label>
        {t('event.session.title')}
        <input ref={titleRef} data-testid="session-title-input" required maxLength={300} value={f.title} onChange={set('title')} />
      </label>
      <div className="row">
        <label>
          {t('event.session.date')}
          <input type="date" data-testid="session-date-input" value={f.date} onChange={set('date')} aria-invalid={timeErrors.date ? true : undefined} aria-describedby={timeErrors.date ? timeErrorId : undefined} />
        </label>
        <label>
          {t('event.session.start')}
          <input type="time" data-testid="session-start-input" value={f.start} onChange={set('start')} aria-invalid={timeErrors.start ? true : undefined} aria-describedby={timeErrors.start ? timeErrorId : undefined} />
        </label>
        <label>
          {t('event.session.end')}
          <input type="time" data-testid="session-end-input" value={f.end} onChange={set('end')} aria-invalid={timeErrors.end ? true : undefined} aria-describedby={timeErrors.end ? timeErrorId : undefined} />
        </label>
      </div>
      <div className="row">
        <label>
          {t('event.session.room')}
          <input value={f.room} maxLength={120} onChange={set('room')} />
        </label>
        <label>
          {t('event.session.moderators')}
          <input value={f.moderators} onChange={set('moderators')} />
        </label>
        <label>
          {t('event.session.tags')}
          <input value={f.tags} onChange={set('tags')} />
        </label>
      </div>
      {timeError ? (
        <p className="error" role="alert" id={timeErrorId} data-testid="add-session-time-error">
          {t(timeError.key, timeError.vars)}
        </p>
      ) : null}
      {error ? (
        <p className="error" role="alert" data-testid="add-session-error">
          {errorMessage(error, t)}
        </p>
      ) : null}
      <button type="submit" className="btn" data-testid="add-session-submit" disabled={!f.title.trim()}>
        {t('event.session.add')}
      </button>
    </form>
  );
}
