import { useState, type Ref } from 'react';
import { zonedToUtc } from '../../shared/schedule/timezone.js';
import type { SessionDto } from '../../shared/schemas.js';
import { parseRoomList } from '../../shared/sessionFields.js';
import { useI18n } from '../i18n/i18n.js';
import { apiClient } from '../lib/api.js';
import { errorMessage } from '../lib/errorMessage.js';

/** Local date + time in the event's zone → ISO instant (DST gaps and overlaps as the schedule importer resolves them). */
function toInstant(date: string, time: string, tz: string): string | undefined {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})/.exec(time);
  if (!d || !t) return undefined;
  return new Date(zonedToUtc({ year: +d[1]!, month: +d[2]!, day: +d[3]!, hour: +t[1]!, minute: +t[2]!, second: 0 }, tz)).toISOString();
}

const list = (s: string) => s.split(/[,、]/).map((x) => x.trim()).filter(Boolean);

export function AddSessionForm({ eventRef, token, tz, onAdded, titleRef }: { eventRef: string; token: string; tz: string; onAdded: (s: SessionDto) => void; titleRef?: Ref<HTMLInputElement> }) {
  const { t } = useI18n();
  const [f, setF] = useState({ title: '', date: '', start: '', end: '', room: '', moderators: '', tags: '' });
  // Kept as the error itself, so its message follows a switch of the UI language.
  const [error, setError] = useState<unknown>(null);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  return (
    <form
      className="card add-session"
      data-testid="add-session-form"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        apiClient(token)
          .createSession(eventRef, {
            title: f.title,
            startsAt: toInstant(f.date, f.start, tz),
            endsAt: toInstant(f.date, f.end, tz),
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
          <input type="date" value={f.date} onChange={set('date')} />
        </label>
        <label>
          {t('event.session.start')}
          <input type="time" value={f.start} onChange={set('start')} />
        </label>
        <label>
          {t('event.session.end')}
          <input type="time" value={f.end} onChange={set('end')} />
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
