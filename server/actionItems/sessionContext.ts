import { localDate } from '../../shared/schedule/timezone.js';
import type { ContributorStore, EventStore, SessionStore } from '../storage/ports.js';
import { sessionRowToFields } from '../storage/sessionRepo.js';
import type { SessionContext } from './tagger.js';

export interface SessionContextDeps {
  events: Pick<EventStore, 'find'>;
  sessions: Pick<SessionStore, 'find'>;
  contributors: Pick<ContributorStore, 'list'>;
}

/** What parsing a session's action items needs: its event, its local date (year-less due dates), and the names that may own items. */
export async function sessionContext(deps: SessionContextDeps, sessionId: string): Promise<SessionContext | null> {
  const session = await deps.sessions.find(sessionId);
  const event = session ? await deps.events.find(session.event_id) : undefined;
  if (!session || !event) return null;
  const knownNames = [...sessionRowToFields(session).moderators, ...(await deps.contributors.list(sessionId))];
  return { eventId: event.id, sessionDate: session.starts_at ? localDate(session.starts_at, event.timezone) : null, knownNames };
}

/** Sessions whose context stays cached; past it the oldest is read again when needed. */
const MAX_CACHED = 1024;

interface Cached {
  context: Promise<SessionContext | null>;
  /** Known once the context is read. */
  eventId?: string;
}

/**
 * The session contexts the tagger asks for on every run (three reads each,
 * about once a second per room people type in), kept until something they
 * are read from changes: the session or its event (every such change is
 * announced as the event changing, by this process or, through the bus, by
 * another) or the session's note-takers (`contributorsChanged`, after this
 * process recorded some). `sharedContributors`: other processes record
 * note-takers too (scale-out) and nothing announces that, so the names are
 * read on every call, as before; the session and its event stay cached.
 */
export class SessionContexts {
  private readonly cached = new Map<string, Cached>();
  private readonly withoutNames: SessionContextDeps;

  constructor(private readonly deps: SessionContextDeps & { sharedContributors?: boolean }) {
    this.withoutNames = { ...deps, contributors: { list: () => Promise.resolve([]) } };
  }

  of(sessionId: string): Promise<SessionContext | null> {
    let entry = this.cached.get(sessionId);
    if (!entry) {
      const loaded: Cached = { context: sessionContext(this.deps.sharedContributors ? this.withoutNames : this.deps, sessionId) };
      entry = loaded;
      this.cached.set(sessionId, loaded);
      if (this.cached.size > MAX_CACHED) this.cached.delete(this.cached.keys().next().value!);
      const drop = () => {
        if (this.cached.get(sessionId) === loaded) this.cached.delete(sessionId);
      };
      loaded.context.then((ctx) => (ctx ? (loaded.eventId = ctx.eventId) : drop()), drop);
    }
    if (!this.deps.sharedContributors) return entry.context;
    return entry.context.then(async (base) => (base ? { ...base, knownNames: [...(base.knownNames ?? []), ...(await this.deps.contributors.list(sessionId))] } : null));
  }

  /** A session or the event itself changed (or one is being read: it may be this event's). */
  eventChanged(eventId: string): void {
    for (const [sessionId, entry] of this.cached) if (entry.eventId === undefined || entry.eventId === eventId) this.cached.delete(sessionId);
  }

  /** This process recorded note-takers of the session. */
  contributorsChanged(sessionId: string): void {
    this.cached.delete(sessionId);
  }
}
