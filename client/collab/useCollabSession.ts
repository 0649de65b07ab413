import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Role } from '../../shared/roles.js';
import { CollabSession, type CollabSnapshot } from './collabSession.js';

const EMPTY: CollabSnapshot = { status: 'connecting', users: [], contentReady: false, closeReason: null };
const noop = () => () => {};

/**
 * One CollabSession per (session, token, role), created in an effect and
 * destroyed on cleanup, so React StrictMode's double mount is harmless.
 */
export function useCollabSession(
  sessionId: string,
  token: string | null,
  role: Role | null,
  /** Who this is in presence; a reader who gave no name passes an empty one and is only counted. */
  user: { name: string; color: string },
): { session: CollabSession | null; snapshot: CollabSnapshot } {
  const [session, setSession] = useState<CollabSession | null>(null);
  const ready = token !== null && role !== null;
  useEffect(() => {
    if (!ready) return;
    const s = new CollabSession(sessionId, token, role, user);
    setSession(s);
    return () => {
      setSession(null);
      s.destroy();
    };
    // The user's name changes are pushed with setUser below, not by recreating the session.
  }, [sessionId, token, role, ready]);
  useEffect(() => {
    session?.setUser(user);
  }, [session, user.name, user.color]);
  const snapshot = useSyncExternalStore(session?.subscribe ?? noop, session?.getSnapshot ?? (() => EMPTY));
  return { session, snapshot };
}
