import { useEffect, useState, type Dispatch, type SetStateAction } from 'react';
import type { EventLinks } from '../../shared/schemas.js';
import { apiClient } from './api.js';

/**
 * The event's current links, for a moderator's page (null until fetched, and
 * for other links: only moderators may read them). Fetched again whenever
 * `linksVersion` changes, which useEvent bumps when a moderator rotated a
 * link, so no panel keeps handing out a dead link; an answer that arrives
 * after the page moved on is dropped.
 */
export function useEventLinks(eventRef: string, token: string, opts: { enabled: boolean; linksVersion: number }): [EventLinks | null, Dispatch<SetStateAction<EventLinks | null>>] {
  const [links, setLinks] = useState<EventLinks | null>(null);
  const { enabled, linksVersion } = opts;
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    apiClient(token).links(eventRef).then(
      (r) => !cancelled && setLinks(r.links),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [eventRef, token, enabled, linksVersion]);
  return [links, setLinks];
}
