import { useEffect, useRef, useState } from 'react';
import type { ActionItemDto } from '../../shared/schemas.js';
import { useI18n } from '../i18n/i18n.js';
import { apiClient } from '../lib/api.js';
import { openCount } from '../components/actionTick.js';
import { scrollTopShowing } from './actionListScroll.js';

const FRESH_MS = 6000;

/** The session's action items, refetched whenever the server says they changed; new ones glow for a moment. */
export function ActionStrip({ sessionId, token, version }: { sessionId: string; token: string; version: number }) {
  const { t } = useI18n();
  const [items, setItems] = useState<ActionItemDto[]>([]);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  // Rows scrolled out above to keep the newest whole: said in the heading, or the room sees a count the list does not show.
  const [above, setAbove] = useState(0);
  const seen = useRef<Set<string> | null>(null);
  const list = useRef<HTMLUListElement>(null);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());

  useEffect(() => {
    let cancelled = false;
    apiClient(token).sessionActionItems(sessionId).then(
      (r) => {
        if (cancelled) return;
        // The first load is not news: only items that appear later are highlighted.
        const added = seen.current ? r.items.filter((i) => !seen.current!.has(i.id)).map((i) => i.id) : [];
        seen.current = new Set(r.items.map((i) => i.id));
        setItems(r.items);
        if (added.length === 0) return;
        setFresh((prev) => new Set([...prev, ...added]));
        const timer = setTimeout(() => {
          timers.current.delete(timer);
          setFresh((prev) => new Set([...prev].filter((id) => !added.includes(id))));
        }, FRESH_MS);
        timers.current.add(timer);
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [sessionId, token, version]);

  useEffect(() => {
    const all = timers.current;
    return () => all.forEach(clearTimeout);
  }, []);

  useEffect(() => {
    const ul = list.current;
    if (!ul) return;
    // New items usually sit at the end of the notes: keep the newest (or the newest fresh) item in sight, from a whole row.
    // The list scrolls by itself only; scrollIntoView would also shift the whole side panel.
    let placedFor = -1;
    const position = (behavior: ScrollBehavior) => {
      placedFor = ul.clientHeight;
      // The list is position: relative, so offsetTop is measured from its top.
      const rows = [...ul.querySelectorAll<HTMLElement>('li')];
      const freshAt = rows.findLastIndex((li) => li.classList.contains('fresh'));
      const top = scrollTopShowing(rows.map((li) => ({ top: li.offsetTop, height: li.offsetHeight })), freshAt >= 0 ? freshAt : rows.length - 1, ul.clientHeight);
      ul.scrollTo({ top, behavior });
      setAbove(rows.filter((li) => li.offsetTop < top).length);
    };
    position('smooth');
    // The panel above it settles later (the join code, fonts): place the rows again when the list's height changes.
    // (The observer also reports once at the start; that report must not cut the smooth move short.)
    const resized = new ResizeObserver(() => {
      if (ul.clientHeight !== placedFor) position('instant');
    });
    resized.observe(ul);
    return () => resized.disconnect();
  }, [items, fresh]);

  return (
    <div className="projector-actions" data-testid="projector-actions">
      {/* Open items, as the session page's badge counts them; done ones stay listed with a ticked box. */}
      <h2>
        {t('session.actions.title')} {items.length > 0 ? <span className="projector-count">{openCount(items)}</span> : null}
      </h2>
      {/* Its line is always there (empty when nothing is above), so showing it never moves the list it describes. */}
      {items.length > 0 ? (
        <p className="projector-more" data-testid="projector-more" aria-hidden={above === 0}>
          {above > 0 ? t('present.moreAbove', { n: above }) : '\u00a0'}
        </p>
      ) : null}
      {items.length === 0 ? <p className="projector-empty">{t('present.actionsEmpty')}</p> : null}
      <ul ref={list}>
        {items.map((i) => (
          <li key={i.id} className={`${i.status}${fresh.has(i.id) ? ' fresh' : ''}`} data-testid="projector-action">
            <span className="box" aria-hidden="true">
              {i.status === 'done' ? '☑' : '☐'}
            </span>
            <span>{i.text}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
