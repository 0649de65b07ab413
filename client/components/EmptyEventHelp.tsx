import { useI18n } from '../i18n/i18n.js';

/**
 * What an empty event shows: for moderators, the three ways to add sessions,
 * each with a button that starts it; for everyone else, that the schedule is
 * still to come (and that the page will update by itself).
 */
export function EmptyEventHelp({ moderator, onImport, onPaste, onAddByHand }: { moderator: boolean; onImport: () => void; onPaste: () => void; onAddByHand: () => void }) {
  const { t } = useI18n();
  if (!moderator) {
    return (
      <p className="muted" data-testid="empty-event">
        {t('empty.viewer')}
      </p>
    );
  }
  const ways = [
    { key: 'import', run: onImport },
    { key: 'paste', run: onPaste },
    { key: 'manual', run: onAddByHand },
  ] as const;
  return (
    <section className="empty-event" data-testid="empty-event" aria-labelledby="empty-event-title">
      <h2 id="empty-event-title">{t('empty.title')}</h2>
      <p className="muted">{t('empty.intro')}</p>
      <ol className="empty-ways">
        {ways.map((w) => (
          <li key={w.key} className="card">
            <h3>{t(`empty.${w.key}.title`)}</h3>
            <p className="muted small">{t(`empty.${w.key}.help`)}</p>
            <button type="button" className={w.key === 'import' ? 'btn' : 'btn btn-secondary'} data-testid={`empty-${w.key}`} onClick={w.run}>
              {t(`empty.${w.key}.button`)}
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
