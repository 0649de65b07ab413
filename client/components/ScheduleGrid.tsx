import { useEffect, useMemo, useState } from 'react';
import type { SessionDto } from '../../shared/schemas.js';
import { useI18n } from '../i18n/i18n.js';
import { dayKey, formatDay, formatLocal, formatTime } from '../lib/format.js';
import { navigate } from '../lib/router.js';

function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

function SessionCard({ s, eventRef, tz, now }: { s: SessionDto; eventRef: string; tz: string; now: number }) {
  const { t, lang } = useI18n();
  const happening = s.state === 'live' || (s.startsAt !== null && s.endsAt !== null && Date.parse(s.startsAt) <= now && now < Date.parse(s.endsAt));
  const href = `/e/${encodeURIComponent(eventRef)}/s/${s.id}`;
  return (
    <a
      className={`session-card${happening ? ' is-now' : ''}${s.state === 'ended' ? ' is-ended' : ''}`}
      data-testid="session-row"
      data-session-id={s.id}
      href={href + window.location.hash}
      onClick={(e) => {
        e.preventDefault();
        navigate(href);
      }}
    >
      <div className="card-top">
        <span className="time" title={t('event.localTime', { time: formatLocal(s.startsAt, lang) })}>
          {formatTime(s.startsAt, tz, lang)}
          {s.endsAt ? `–${formatTime(s.endsAt, tz, lang)}` : ''}
        </span>
        {happening ? <span className="badge badge-now">{t('event.now')}</span> : null}
        {s.state !== 'scheduled' && !happening ? <span className={`badge badge-${s.state}`}>{t(`event.state.${s.state}`)}</span> : null}
        {s.locked ? <span className="badge badge-locked" title={t('event.locked')}>🔒</span> : null}
      </div>
      <h3>{s.title}</h3>
      <div className="card-meta">
        {s.room ? <span>{s.room}</span> : null}
        {s.moderators.length ? <span>· {s.moderators.join(', ')}</span> : null}
      </div>
      {s.nowDiscussing ? (
        <div className="now-discussing">
          {t('event.nowDiscussing')}: {s.nowDiscussing}
        </div>
      ) : null}
      <div className="card-bottom">
        <span className="tags">{s.tags.map((tag) => <span key={tag} className="tag">#{tag}</span>)}</span>
        <span className="live" data-testid="live-count" data-editors={s.live.editors} data-viewers={s.live.viewers}>
          {s.live.editors + s.live.viewers > 0 ? (
            <>
              <span className="live-dot" aria-hidden="true" />
              {t('event.live.editors', { n: s.live.editors })} · {t('event.live.viewers', { n: s.live.viewers })}
            </>
          ) : s.notesUpdatedAt ? (
            <span className="muted">✎ {t('event.hasNotes')}</span>
          ) : null}
        </span>
      </div>
    </a>
  );
}

/**
 * The schedule as a grid: days as tabs, rooms as columns, time as rows, in
 * the event's time zone. Below 700 px wide it becomes a list by time (CSS).
 */
export function ScheduleGrid({ sessions, eventRef, tz }: { sessions: SessionDto[]; eventRef: string; tz: string }) {
  const { t, lang } = useI18n();
  const now = useNow();
  const [query, setQuery] = useState('');
  const [tag, setTag] = useState('');
  const days = useMemo(() => [...new Set(sessions.filter((s) => s.startsAt).map((s) => dayKey(s.startsAt!, tz)))].sort(), [sessions, tz]);
  const today = dayKey(new Date(now).toISOString(), tz);
  const [day, setDay] = useState<string | null>(null);
  const activeDay = day ?? (days.includes(today) ? today : days[0] ?? null);
  const tags = useMemo(() => [...new Set(sessions.flatMap((s) => s.tags))].sort(), [sessions]);
  const visible = sessions.filter(
    (s) =>
      (!activeDay || !s.startsAt || dayKey(s.startsAt, tz) === activeDay) &&
      (!tag || s.tags.includes(tag)) &&
      (!query || s.title.toLowerCase().includes(query.toLowerCase())),
  );
  const rooms = [...new Set(visible.map((s) => s.room ?? '—'))].sort();
  const slots = [...new Set(visible.map((s) => s.startsAt ?? ''))].sort();
  return (
    <div className="schedule" data-testid="session-list">
      <div className="schedule-controls">
        <div className="day-tabs" role="tablist">
          {days.map((d) => {
            const first = sessions.find((s) => s.startsAt && dayKey(s.startsAt, tz) === d)!;
            return (
              <button key={d} type="button" role="tab" aria-selected={d === activeDay} className={`tab${d === activeDay ? ' is-active' : ''}`} onClick={() => setDay(d)}>
                {formatDay(first.startsAt, tz, lang)}
              </button>
            );
          })}
        </div>
        <input className="search" type="search" placeholder={t('event.filter.search')} value={query} onChange={(e) => setQuery(e.target.value)} aria-label={t('event.filter.search')} />
        <select value={tag} onChange={(e) => setTag(e.target.value)} aria-label={t('event.filter.tag')}>
          <option value="">{t('event.filter.tag')}</option>
          {tags.map((x) => (
            <option key={x} value={x}>
              #{x}
            </option>
          ))}
        </select>
      </div>
      {visible.length === 0 ? (
        <p className="muted">{t('event.noSessions')}</p>
      ) : (
        <div className="grid" style={{ gridTemplateColumns: `5.5rem repeat(${rooms.length}, minmax(12rem, 1fr))` }}>
          <div className="grid-corner" />
          {rooms.map((r) => (
            <div key={r} className="grid-room">
              {r}
            </div>
          ))}
          {slots.map((slot) => {
            const inSlot = visible.filter((s) => (s.startsAt ?? '') === slot);
            const slotEnd = Math.max(...inSlot.map((s) => (s.endsAt ? Date.parse(s.endsAt) : Date.parse(slot) + 3_600_000)));
            const isNow = slot !== '' && Date.parse(slot) <= now && now < slotEnd;
            return (
              <div key={slot} className={`grid-row${isNow ? ' is-now' : ''}`} style={{ display: 'contents' }}>
                <div className="grid-time">
                  {slot ? formatTime(slot, tz, lang) : '—'}
                  {isNow ? <span className="now-line" aria-label={t('event.now')} /> : null}
                </div>
                {rooms.map((r) => {
                  const here = inSlot.filter((s) => (s.room ?? '—') === r);
                  return (
                    <div key={r} className="grid-cell" data-room={r}>
                      {here.map((s) => (
                        <SessionCard key={s.id} s={s} eventRef={eventRef} tz={tz} now={now} />
                      ))}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
