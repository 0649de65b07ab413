import { describe, expect, it } from 'vitest';
import { applyEventStreamMessage, parseEventStreamMessage } from './eventStream.js';

const session = { id: 's1', eventId: 'e', title: 'Quota', startsAt: null, endsAt: null, rooms: [], track: null, moderators: [], tags: [], description: null, locked: false, state: 'scheduled', nowDiscussing: null, createdAt: 'x', updatedAt: 'x', notesUpdatedAt: null, live: { editors: 0, viewers: 0 } };

describe('event stream messages', () => {
  it('parses each kind and refuses what does not fit (never throws)', () => {
    expect(parseEventStreamMessage({ type: 'live', sessionId: 's1', live: { editors: 2, viewers: 3 } })).toEqual({ type: 'live', sessionId: 's1', live: { editors: 2, viewers: 3 } });
    expect(parseEventStreamMessage({ type: 'sessionChanged', session })).not.toBeNull();
    for (const bad of [null, 'ping', {}, { type: 'sessions', sessions: [] }, { type: 'live', sessionId: 's1', live: { editors: -1, viewers: 0 } }, { type: 'live', sessionId: 's1', live: { editors: 1.5, viewers: 0 } }, { type: 'sessionChanged', session: { ...session, state: 'paused' } }]) {
      expect(parseEventStreamMessage(bad), JSON.stringify(bad)).toBeNull();
    }
  });

  it('keeps fields it does not name yet (a newer server may send more)', () => {
    const msg = parseEventStreamMessage({ type: 'sessionAdded', session: { ...session, rooms: ['A', 'B'] } });
    expect(msg).toMatchObject({ session: { rooms: ['A', 'B'] } });
  });

  it('ignores deltas until a snapshot arrives, and live counts for a session it does not know', () => {
    expect(applyEventStreamMessage(null, { type: 'live', sessionId: 's1', live: { editors: 1, viewers: 0 } })).toBeNull();
    const view = applyEventStreamMessage(null, { type: 'snapshot', event: { title: 'E', timezone: 'UTC', language: 'en' }, sessions: [session as never] });
    expect(applyEventStreamMessage(view, { type: 'live', sessionId: 'nope', live: { editors: 1, viewers: 0 } })).toBe(view);
  });
});
