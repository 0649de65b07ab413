import { useCallback, useEffect, useMemo, useState } from 'react';
import { localDate } from '../../shared/schedule/timezone.js';
import type { SessionDto } from '../../shared/schemas.js';
import { roomsText } from '../../shared/sessionFields.js';
import { useI18n } from '../i18n/i18n.js';
import { formatDay, formatLocal, formatTime, spansYears } from '../lib/format.js';
import { takeDeleted, type DeletedSession } from '../lib/pendingUndo.js';
import { navigate } from '../lib/router.js';
import { CalendarSubscribe } from './CalendarSubscribe.js';
import { layoutDay, roomOrder, type GridPlacement } from './scheduleLayout.js';
import { SessionEditDialog } from './SessionEditDialog.js';
import { UndoToast } from './UndoToast.js';

function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

/** Live per the moderator, else by the clock (unless a moderator ended it early). */
export function isHappening(s: SessionDto, now: number): boolean {
  if (s.state === 'live') return true;
  if (s.state === 'ended' || !s.startsAt || !s.endsAt) return false;
  return Date.parse(s.startsAt) <= now && now < Date.parse(s.endsAt);
}

function LiveCount({ live }: { live: SessionDto['live'] }) {
  const { t } = useI18n();
  const editors = live.editors === 1 ? t('event.live.editor1') : t('event.live.editors', { n: live.editors });
  const viewers = live.viewers === 1 ? t('event.live.viewer1') : t('event.live.viewers', { n: live.viewers });
  return (
    <span title={t('event.live.title')}>
      <span className="live-dot" aria-hidden="true" />
      {editors} · {viewers}
    </span>
  );
}

function SessionCard({ s, eventRef, tz, now, alsoIn, onEdit }: { s: SessionDto; eventRef: string; tz: string; now: number; alsoIn: string[]; onEdit?: () => void }) {
  const { t, lang } = useI18n();
  const happening = isHappening(s, now);
  const notesToday = s.notesUpdatedAt !== null && localDate(s.notesUpdatedAt, tz) === localDate(new Date(now).toISOString(), tz);
  const href = `/e/${encodeURIComponent(eventRef)}/s/${s.id}`;
  const card = (
    <a
      className={`session-card${happening ? ' is-now' : ''}${s.state === 'ended' ? ' is-ended' : ''}`}
      data-testid="session-row"
      data-session-id={s.id}
      data-notes-today={notesToday}
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
        {s.locked ? <span className="badge badge-locked" >{t('event.locked')}</span> : null}
      </div>
      <h3 title={s.title}>{s.title}</h3>
      <div className="card-meta">
        {s.rooms.length ? <span data-testid="card-rooms">{roomsText(s.rooms)}</span> : null}
        {s.moderators.length ? <span>{s.rooms.length ? '· ' : ''}{s.moderators.join(', ')}</span> : null}
      </div>
      {alsoIn.length ? (
        <div className="also-in" data-testid="also-in">
          ⇄ {t('event.alsoIn', { rooms: roomsText(alsoIn) })}
        </div>
      ) : null}
      {s.nowDiscussing ? (
        <div className="now-discussing">
          {t('event.nowDiscussing')}: {s.nowDiscussing}
        </div>
      ) : null}
      <div className="card-bottom">
        <span className="tags">{s.tags.map((tag) => <span key={tag} className="tag">#{tag}</span>)}</span>
        <span className="card-status">
          {notesToday ? <span className="badge badge-notes-today">✎ {t('event.notesToday')}</span> : s.notesUpdatedAt ? <span className="muted">✎ {t('event.hasNotes')}</span> : null}
          <span className="live" data-testid="live-count" data-editors={s.live.editors} data-viewers={s.live.viewers}>
            {s.live.editors + s.live.viewers > 0 ? <LiveCount live={s.live} /> : null}
          </span>
        </span>
      </div>
    </a>
  );
  if (!onEdit) return card;
  return (
    <div className="card-slot">
      {card}
      <button type="button" className="card-edit" data-testid="edit-session" data-session-id={s.id} aria-label={t('session.edit.buttonLabel', { title: s.title })} title={t('session.edit.button')} onClick={onEdit}>
        ✎
      </button>
    </div>
  );
}

/** An empty grid while filtering is the filter's doing, not an empty event: say so, and offer the way back. */
function NoMatch({ query, tag, elsewhere, onClear }: { query: string; tag: string; elsewhere: number; onClear: () => void }) {
  const { t, lang } = useI18n();
  const quoted = query ? (lang === 'ja' ? `「${query}」` : `“${query}”`) : '';
  const filter = [quoted, tag ? `#${tag}` : ''].filter(Boolean).join(' + ');
  return (
    <div className="muted" data-testid="schedule-no-match">
      <p>
        {elsewhere > 0 ? t('event.filter.noMatchThisDay', { filter, n: elsewhere }) : t('event.filter.noMatch', { filter })}{' '}
        <button type="button" className="linklike" data-testid="schedule-clear-filter" onClick={onClear}>
          {t('event.filter.clear')}
        </button>
      </p>
    </div>
  );
}

/**
 * The schedule as a grid: days as tabs, rooms as columns, time as rows, in
 * the event's time zone. A session in several rooms spans their columns (the
 * columns are ordered so that it can), or is shown in each with a marker; a
 * plenary spans the whole row. Below 700 px wide it becomes a list by time
 * (CSS). Moderators edit a session from its card.
 */
export function ScheduleGrid({ sessions, eventRef, tz, token, canEdit }: { sessions: SessionDto[]; eventRef: string; tz: string; token: string | null; canEdit: boolean }) {
  const { t, lang } = useI18n();
  const now = useNow();
  const [query, setQuery] = useState('');
  const [tag, setTag] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  // One Undo per deletion, newest last: deleting A then B must leave A's Undo in place.
  const [deleted, setDeleted] = useState<DeletedSession[]>([]);
  const addDeleted = useCallback((s: DeletedSession) => setDeleted((list) => [...list.filter((d) => d.id !== s.id), s]), []);
  // A session deleted on its own page comes back here with its Undo.
  useEffect(() => {
    const pending = takeDeleted(eventRef);
    if (pending) addDeleted(pending);
  }, [eventRef, addDeleted]);
  const dismiss = useCallback((id: string) => setDeleted((list) => list.filter((d) => d.id !== id)), []);
  const days = useMemo(() => [...new Set(sessions.filter((s) => s.startsAt).map((s) => localDate(s.startsAt!, tz)))].sort(), [sessions, tz]);
  const withYear = spansYears(days);
  const order = useMemo(() => roomOrder(sessions), [sessions]);
  const today = localDate(new Date(now).toISOString(), tz);
  const [day, setDay] = useState<string | null>(null);
  const activeDay = day ?? (days.includes(today) ? today : days[0] ?? null);
  const tags = useMemo(() => [...new Set(sessions.flatMap((s) => s.tags))].sort(), [sessions]);
  const filtering = Boolean(tag || query);
  const matches = (s: SessionDto) => (!tag || s.tags.includes(tag)) && (!query || s.title.toLowerCase().includes(query.toLowerCase()));
  const visible = sessions.filter((s) => (!activeDay || !s.startsAt || localDate(s.startsAt, tz) === activeDay) && matches(s));
  const layout = layoutDay(visible, order);
  const slots = [...new Set(visible.map((s) => s.startsAt ?? ''))].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)));
  // The now line sits before the first time slot that has not started yet, on today's tab only.
  const nowAt = activeDay === today && slots.some((x) => x !== '') ? slots.filter((x) => x !== '' && Date.parse(x) <= now).length : -1;
  // Explicit grid rows: row 1 holds the rooms, the now line gets a row of its own, and a
  // session runs down through every time row that starts before it ends.
  const rowOf = (i: number) => i + 2 + (nowAt >= 0 && i >= nowAt ? 1 : 0);
  const rowsCovered = (i: number, here: SessionDto[]) => {
    const end = Math.max(...here.map((s) => (s.endsAt ? Date.parse(s.endsAt) : 0)));
    let last = i;
    while (slots[last + 1] && Date.parse(slots[last + 1]!) < end) last++;
    return rowOf(last) - rowOf(i) + 1;
  };
  // Each room column is split into lanes where sessions overlap (see layoutDay): one grid track per lane.
  const firstTrack = layout.lanes.map((_, c) => 2 + layout.lanes.slice(0, c).reduce((a, b) => a + b, 0));
  const tracks = layout.lanes.map((n) => (n === 1 ? 'minmax(12rem, 1fr)' : `repeat(${n}, minmax(9rem, ${(1 / n).toFixed(4)}fr))`)).join(' ');
  const editingSession = editing ? sessions.find((s) => s.id === editing) ?? null : null;
  const nowLine = (
    <div className="now-line" data-testid="now-line" style={{ gridColumn: '1 / -1', gridRow: nowAt + 2 }}>
      <span>
        {t('event.now')} · {formatTime(new Date(now).toISOString(), tz, lang)}
      </span>
    </div>
  );
  return (
    <div className="schedule" data-testid="session-list">
      <div className="schedule-controls">
        <div className="day-tabs" role="tablist">
          {days.map((d) => {
            const first = sessions.find((s) => s.startsAt && localDate(s.startsAt, tz) === d)!;
            return (
              <button key={d} type="button" role="tab" aria-selected={d === activeDay} className={`tab${d === activeDay ? ' is-active' : ''}`} onClick={() => setDay(d)}>
                {formatDay(first.startsAt, tz, lang, withYear)}
                {/* While filtering, each day says how many sessions match, so matches on another day are not missed. */}
                {filtering ? <span className="tab-count"> · {sessions.filter((s) => s.startsAt && localDate(s.startsAt, tz) === d && matches(s)).length}</span> : null}
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
        {token ? <CalendarSubscribe eventRef={eventRef} token={token} /> : null}
      </div>
      {visible.length === 0 && filtering ? (
        <NoMatch
          query={query}
          tag={tag}
          elsewhere={sessions.filter(matches).length}
          onClear={() => {
            setQuery('');
            setTag('');
          }}
        />
      ) : visible.length === 0 ? (
        <p className="muted">{t('event.noSessions')}</p>
      ) : (
        <div className="grid" style={{ gridTemplateColumns: `5.5rem ${tracks}` }}>
          <div className="grid-corner" style={{ gridRow: 1, gridColumn: 1 }} />
          {layout.columns.map((r, c) => (
            <div key={`${c}:${r}`} className="grid-room" data-testid="grid-room" style={{ gridRow: 1, gridColumn: `${firstTrack[c]} / span ${layout.lanes[c]}` }}>
              {r || (layout.noRoomColumn && layout.columns.length > 1 ? t('event.noRoom') : '')}
            </div>
          ))}
          {slots.map((slot, i) => {
            const inSlot = layout.placements.filter((p) => (p.session.startsAt ?? '') === slot);
            const slotEnd = Math.max(...inSlot.map((p) => (p.session.endsAt ? Date.parse(p.session.endsAt) : Date.parse(slot) + 3_600_000)));
            const isNow = slot !== '' && Date.parse(slot) <= now && now < slotEnd;
            // Sessions that start together and cover the same columns share a cell, stacked; sessions
            // overlapping them in the same room sit beside them, in another lane.
            const cells = new Map<string, GridPlacement<SessionDto>[]>();
            for (const p of inSlot) cells.set(`${p.column}:${p.span}:${p.lane}`, [...(cells.get(`${p.column}:${p.span}:${p.lane}`) ?? []), p]);
            return (
              <div key={slot} className={`grid-row${isNow ? ' is-now' : ''}`} style={{ display: 'contents' }}>
                {i === nowAt ? nowLine : null}
                <div className="grid-time" style={{ gridRow: rowOf(i), gridColumn: 1 }} title={slot ? t('event.localTime', { time: formatLocal(slot, lang) }) : undefined}>
                  {slot ? formatTime(slot, tz, lang) : t('event.unscheduled')}
                </div>
                {[...cells.entries()].map(([key, here]) => {
                  const { column, span, lane, laneSpan } = here[0]!;
                  return (
                    <div
                      key={key}
                      className={`grid-cell${here.every((p) => p.duplicate) ? ' is-duplicate' : ''}${span > 1 ? ' is-spanning' : ''}${laneSpan < layout.lanes[column]! && span === 1 ? ' is-lane' : ''}`}
                      data-room={layout.columns[column]}
                      data-span={span}
                      data-lane={lane}
                      style={{ gridRow: `${rowOf(i)} / span ${rowsCovered(i, here.map((p) => p.session))}`, gridColumn: `${firstTrack[column]! + lane} / span ${laneSpan}` }}
                    >
                      {here.map((p) => (
                        <SessionCard key={p.session.id} s={p.session} eventRef={eventRef} tz={tz} now={now} alsoIn={p.alsoIn} onEdit={canEdit && token ? () => setEditing(p.session.id) : undefined} />
                      ))}
                    </div>
                  );
                })}
              </div>
            );
          })}
          {nowAt === slots.length ? nowLine : null}
        </div>
      )}
      {editingSession && token ? (
        <SessionEditDialog
          session={editingSession}
          token={token}
          tz={tz}
          knownRooms={order}
          onClose={() => setEditing(null)}
          onSaved={() => setEditing(null)}
          onDeleted={(s) => {
            setEditing(null);
            addDeleted({ id: s.id, title: s.title });
          }}
        />
      ) : null}
      {deleted.length > 0 && token ? (
        <div className="toast-stack">
          {deleted.map((d) => (
            <UndoToast key={d.id} deleted={d} token={token} onDone={dismiss} />
          ))}
        </div>
      ) : null}
    </div>
  );
}
