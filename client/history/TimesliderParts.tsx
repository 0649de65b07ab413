import type { HistoryAuthor } from '../../shared/history/history.js';
import { useI18n, type Translate } from '../i18n/i18n.js';

/** Named versions as stars along the slider's track. */
export function SliderMarks({ count, marks }: { count: number; marks: { at: number; name: string }[] }) {
  if (count < 2 || marks.length === 0) return null;
  return (
    <div className="slider-marks" aria-hidden="true">
      {marks.map((m) => (
        <span key={m.at} className="slider-mark" style={{ left: `${(m.at / (count - 1)) * 100}%` }} title={m.name}>
          ★
        </span>
      ))}
    </div>
  );
}

/** An author as the page shows it: a person by name, the server's own kinds of change in the page's language. */
export const authorLabel = (a: HistoryAuthor, t: Translate): string => (a.kind === 'person' ? a.name : t(`history.kind.${a.kind}`));

/**
 * A version's authors as the list gives them (labels), in the page's language:
 * a label is a kind of change ("template", "restore") only when no person has that name.
 */
export function versionAuthors(labels: readonly string[], people: readonly HistoryAuthor[], t: Translate): string {
  return labels
    .map((name) => {
      const matches = people.filter((p) => p.name === name);
      const kind = matches.find((p) => p.kind !== 'person');
      return kind && !matches.some((p) => p.kind === 'person') ? authorLabel(kind, t) : name;
    })
    .join(', ');
}

/** Who wrote the version shown, with the colour each one's text is tinted with. */
export function AuthorLegend({ authors, title }: { authors: HistoryAuthor[]; title: string }) {
  const { t } = useI18n();
  return (
    <div className="author-legend" data-testid="history-authors">
      <h2 className="small">{title}</h2>
      <ul>
        {authors.map((a) => (
          <li key={`${a.kind}:${a.name}`}>
            <span className="swatch" style={{ background: /^#[0-9a-fA-F]{6}$/.test(a.color) ? a.color : '#888' }} aria-hidden="true" /> {authorLabel(a, t)}
          </li>
        ))}
      </ul>
    </div>
  );
}
