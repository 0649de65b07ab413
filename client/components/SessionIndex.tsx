import { localDate } from '../../shared/schedule/timezone.js';
import { roomsText } from '../../shared/sessionFields.js';
import { useMemo, useState } from 'react';
import type { Role } from '../../shared/roles.js';
import type { EventWithSessionsDto, SessionDto } from '../../shared/schemas.js';
import { useI18n } from '../i18n/i18n.js';
import { useEventLinks } from '../lib/useEventLinks.js';
import { formatDay, formatTime, spansYears } from '../lib/format.js';
import { navigate } from '../lib/router.js';

type Audience = 'edit' | 'view';

/**
 * The master list: every session's notes, title → link, by day and time.
 * Plain on purpose, to print or to paste into a mailing list. Links carry
 * an edit or view token, never the moderator's own.
 */
export function SessionIndex({ event, token, linksVersion = 0 }: { event: EventWithSessionsDto; token: string; linksVersion?: number }) {
  const { t, lang } = useI18n();
  const role: Role = event.role;
  // A moderator starts on read-only links: the index is made to be pasted into mailing lists, and write access should be a choice.
  const [audience, setAudience] = useState<Audience>(role === 'edit' ? 'edit' : 'view');
  // Fetched again when a moderator rotated a link: Copy and Print never hand out a dead link.
  const [links] = useEventLinks(event.slug, token, { enabled: role === 'moderate', linksVersion });
  const [copied, setCopied] = useState(false);

  // Moderators pick edit or view links; everyone else shares the access they have.
  const shareToken = role === 'moderate' ? (links ? new URL(links[audience]).hash.replace(/^#k=/, '') : null) : token;
  const base = `${window.location.origin}/e/${encodeURIComponent(event.slug)}`;
  const urlOf = (s: SessionDto) => `${base}/s/${s.id}${shareToken ? `#k=${shareToken}` : ''}`;

  const days = useMemo(() => groupByDay(event.sessions, event.timezone), [event.sessions, event.timezone]);
  const withYear = spansYears(days.map((d) => d.key));
  const asText = () =>
    [
      event.title,
      '',
      ...days.flatMap(({ key, sessions }) => [
        key === '' ? t('event.unscheduled') : formatDay(sessions[0]!.startsAt, event.timezone, lang, withYear),
        ...sessions.map((s) => `- ${times(s, event.timezone, lang)} ${s.title}${s.rooms.length ? ` (${roomsText(s.rooms)})` : ''}\n  ${urlOf(s)}`),
        '',
      ]),
    ].join('\n');

  return (
    <section className="card index-page" data-testid="index-page">
      <div className="index-head">
        <div>
          <h2>{event.title}</h2>
          <p className="muted">{t('index.help')}</p>
        </div>
        <div className="index-actions">
          {role === 'moderate' ? (
            <label>
              {t('index.linksFor')}{' '}
              <select value={audience} onChange={(e) => setAudience(e.target.value as Audience)} data-testid="index-audience">
                <option value="edit">{t('index.forEdit')}</option>
                <option value="view">{t('index.forView')}</option>
              </select>
            </label>
          ) : null}
          <button
            type="button"
            className="btn btn-secondary"
            onClick={() => {
              void navigator.clipboard.writeText(asText()).then(() => {
                setCopied(true);
                setTimeout(() => setCopied(false), 1500);
              });
            }}
          >
            {copied ? t('common.copied') : t('index.copy')}
          </button>
          <button type="button" className="btn btn-secondary" onClick={() => window.print()}>
            {t('index.print')}
          </button>
        </div>
      </div>
      {days.map(({ key, sessions }) => (
        <div key={key} className="index-day">
          <h3>{key === '' ? t('event.unscheduled') : formatDay(sessions[0]!.startsAt, event.timezone, lang, withYear)}</h3>
          <ol>
            {sessions.map((s) => (
              <li key={s.id} data-testid="index-row">
                <a
                  href={urlOf(s)}
                  onClick={(e) => {
                    // The shown link is for sharing; opening it here keeps the access this page was opened with.
                    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
                    e.preventDefault();
                    navigate(`/e/${encodeURIComponent(event.slug)}/s/${s.id}`);
                  }}
                >
                  {s.title}
                </a>
                <span className="muted">
                  {' '}
                  {times(s, event.timezone, lang)}
                  {s.rooms.length ? ` · ${roomsText(s.rooms)}` : ''}
                </span>
                <br />
                <span className="index-url">{urlOf(s)}</span>
              </li>
            ))}
          </ol>
        </div>
      ))}
    </section>
  );
}

const times = (s: SessionDto, tz: string, lang: string) => (s.startsAt ? `${formatTime(s.startsAt, tz, lang)}${s.endsAt ? `–${formatTime(s.endsAt, tz, lang)}` : ''}` : '');

function groupByDay(sessions: readonly SessionDto[], tz: string): { key: string; sessions: SessionDto[] }[] {
  const sorted = [...sessions].sort((a, b) => (a.startsAt ?? '\uffff').localeCompare(b.startsAt ?? '\uffff') || (a.rooms[0] ?? '').localeCompare(b.rooms[0] ?? '', undefined, { numeric: true }));
  const out: { key: string; sessions: SessionDto[] }[] = [];
  for (const s of sorted) {
    const key = s.startsAt ? localDate(s.startsAt, tz) : '';
    const last = out[out.length - 1];
    if (last?.key === key) last.sessions.push(s);
    else out.push({ key, sessions: [s] });
  }
  return out;
}
