import type { HistoryAuthor } from '../../shared/history/history.js';
import { useI18n } from '../i18n/i18n.js';

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

/** Who wrote the version shown, with the colour each one's text is tinted with. */
export function AuthorLegend({ authors, title }: { authors: HistoryAuthor[]; title: string }) {
  const { t } = useI18n();
  const label = (a: HistoryAuthor) => (a.kind === 'person' ? a.name : t(`history.kind.${a.kind}`));
  return (
    <div className="author-legend" data-testid="history-authors">
      <h2 className="small">{title}</h2>
      <ul>
        {authors.map((a) => (
          <li key={`${a.kind}:${a.name}`}>
            <span className="swatch" style={{ background: /^#[0-9a-fA-F]{6}$/.test(a.color) ? a.color : '#888' }} aria-hidden="true" /> {label(a)}
          </li>
        ))}
      </ul>
    </div>
  );
}
