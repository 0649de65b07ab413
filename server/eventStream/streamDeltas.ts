import type { EventStreamEventFields, EventStreamMessage } from '../../shared/eventStream.js';
import type { SessionDto } from '../../shared/schemas.js';

/** The event's fields and its sessions (live counts included), in the API's order. */
export interface EventSnapshot {
  event: EventStreamEventFields;
  sessions: SessionDto[];
}

/** What the subscribers of one event were last told, to send only what changed. */
export interface Baseline {
  event: string;
  /** Per session: its JSON without the live counts, and the live counts' JSON. */
  sessions: Map<string, { fields: string; live: string }>;
}

export function baselineOf(snapshot: EventSnapshot): Baseline {
  const sessions = new Map<string, { fields: string; live: string }>();
  for (const s of snapshot.sessions) {
    const { live, ...fields } = s;
    sessions.set(s.id, { fields: JSON.stringify(fields), live: JSON.stringify(live) });
  }
  return { event: JSON.stringify(snapshot.event), sessions };
}

/** What changed from `before` to `next`, as the messages a subscriber needs. */
export function deltas(before: Baseline, next: Baseline, snapshot: EventSnapshot): EventStreamMessage[] {
  const out: EventStreamMessage[] = [];
  if (before.event !== next.event) out.push({ type: 'eventChanged', event: snapshot.event });
  for (const session of snapshot.sessions) {
    const was = before.sessions.get(session.id);
    const now = next.sessions.get(session.id)!;
    if (!was) out.push({ type: 'sessionAdded', session });
    else if (was.fields !== now.fields) out.push({ type: 'sessionChanged', session });
    else if (was.live !== now.live) out.push({ type: 'live', sessionId: session.id, live: session.live });
  }
  for (const id of before.sessions.keys()) if (!next.sessions.has(id)) out.push({ type: 'sessionRemoved', sessionId: id });
  return out;
}
