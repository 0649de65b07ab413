import { useEffect, useState } from 'react';
import type { ContributorDto } from '../../shared/contributors/report.js';
import { useI18n } from '../i18n/i18n.js';
import { apiClient, download } from '../lib/api.js';
import { errorMessage } from '../lib/errorMessage.js';
import { navigate } from '../lib/router.js';

/**
 * The OpsRecognition list: everyone who took notes, moderated or owns action
 * items, with the characters of theirs still in the notes where Roundtable
 * can tell (and says how it counts), exportable as CSV or Markdown.
 */
export function ContributorsReport({ eventSlug, token, version }: { eventSlug: string; token: string; version: number }) {
  const { t, lang } = useI18n();
  const [rows, setRows] = useState<ContributorDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const path = `/api/events/${encodeURIComponent(eventSlug)}/contributors`;
  useEffect(() => {
    let live = true;
    apiClient(token).contributors(eventSlug).then(
      (r) => {
        if (!live) return;
        setRows(r);
        setError(null);
      },
      (err: unknown) => live && setError(errorMessage(err, t)),
    );
    return () => {
      live = false;
    };
  }, [path, token, version, t]);
  const number = (n: number) => n.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-GB');
  const exportAs = (format: 'csv' | 'md') => {
    download(`${path}?format=${format}`, token, `${eventSlug}-contributors.${format}`).catch((err: unknown) => setError(errorMessage(err, t)));
  };

  return (
    <section className="contributors" data-testid="contributors">
      <div className="contributors-head">
        <p className="muted">{t('contributors.intro')}</p>
        <div className="event-actions">
          <button type="button" className="btn btn-secondary" data-testid="contributors-csv" onClick={() => exportAs('csv')}>
            CSV
          </button>
          <button type="button" className="btn btn-secondary" data-testid="contributors-md" onClick={() => exportAs('md')}>
            Markdown
          </button>
        </div>
      </div>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {rows && rows.length === 0 ? <p className="muted">{t('contributors.empty')}</p> : null}
      {rows && rows.length > 0 ? (
        <table className="contributors-table">
          <thead>
            <tr>
              <th scope="col">{t('contributors.name')}</th>
              <th scope="col">{t('contributors.sessions')}</th>
              <th scope="col" className="num">
                {t('contributors.chars')}
              </th>
              <th scope="col" className="num">
                {t('contributors.actionItems')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.variants.join('\u0000')} data-testid="contributor">
                <th scope="row" data-label={t('contributors.name')}>
                  <span className="contributor-name">{p.name}</span>
                  {p.variants.length > 1 ? <span className="muted small contributor-variants">{t('contributors.alsoAs', { names: p.variants.slice(1).join(', ') })}</span> : null}
                </th>
                <td data-label={t('contributors.sessions')}>
                  <ul className="contributor-sessions">
                    {p.sessions.map((s) => (
                      <li key={s.sessionId}>
                        <a
                          href={`/e/${encodeURIComponent(eventSlug)}/s/${s.sessionId}${window.location.hash}`}
                          onClick={(e) => {
                            e.preventDefault();
                            navigate(`/e/${encodeURIComponent(eventSlug)}/s/${s.sessionId}`);
                          }}
                        >
                          {s.title}
                        </a>{' '}
                        {s.tookNotes ? (
                          <span className="chip chip-plain">
                            {t('contributors.role.notes')}
                            {s.chars !== null ? ` · ${number(s.chars)}` : ''}
                          </span>
                        ) : null}
                        {s.moderated ? <span className="chip chip-owner">{t('contributors.role.moderator')}</span> : null}
                      </li>
                    ))}
                  </ul>
                </td>
                <td className="num" data-label={t('contributors.chars')} data-testid="contributor-chars">
                  {p.chars !== null ? number(p.chars) : p.sessions.some((s) => s.tookNotes) ? <span className="muted">{t('contributors.unknown')}</span> : <span className="muted">—</span>}
                </td>
                <td className="num" data-label={t('contributors.actionItems')}>
                  {p.actionItems.done} / {p.actionItems.owned}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <p className="muted small contributors-note">{t('contributors.howCounted')}</p>
    </section>
  );
}
