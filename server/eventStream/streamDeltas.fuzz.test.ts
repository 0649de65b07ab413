import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEventStreamMessage, eventStreamMessageSchema, sortSessions, type EventStreamView } from '../../shared/eventStream.js';
import type { SessionDto } from '../../shared/schemas.js';
import { fuzzRuns } from '../../test/helpers/fuzz.js';
import { baselineOf, deltas, type EventSnapshot } from './streamDeltas.js';

const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const instant = fc.integer({ min: 0, max: 20 }).map((h) => new Date(Date.UTC(2026, 4, 1, h)).toISOString());

/** Sessions as the API lists them (ids and titles unique, so the order is total). */
const sessionsArb = fc
  .uniqueArray(fc.record({ id: fc.stringMatching(/^[a-z2-7]{16}$/), startsAt: maybe(instant), rooms: fc.subarray(['A', 'B', 'Salon C', '会議室']), now: maybe(fc.constantFrom('x', 'quota', '議題')), editors: fc.nat(5), viewers: fc.nat(50), locked: fc.boolean() }), { selector: (s) => s.id, maxLength: 12 })
  .map((rows) =>
    sortSessions(
      rows.map(
        (r, i): SessionDto => ({
          id: r.id,
          eventId: 'ev',
          title: `Session ${i} ${r.id.slice(0, 3)}`,
          startsAt: r.startsAt,
          endsAt: null,
          rooms: r.rooms,
          track: null,
          moderators: [],
          tags: [],
          description: null,
          locked: r.locked,
          state: 'scheduled',
          nowDiscussing: r.now,
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:00.000Z',
          notesUpdatedAt: null,
          live: { editors: r.editors, viewers: r.viewers },
        }),
      ),
    ),
  );

const snapshotArb = fc.record({ event: fc.record({ title: fc.constantFrom('Ops', 'オプス'), timezone: fc.constantFrom('UTC', 'Asia/Tokyo'), language: fc.constantFrom('en' as const, 'ja' as const) }), sessions: sessionsArb });

/** The next state shares some sessions with the first (changed or not), drops some and adds some. */
const pairArb = snapshotArb.chain((a) =>
  fc
    .tuple(
      snapshotArb,
      fc.array(fc.constantFrom('keep', 'drop', 'live', 'move', 'rename'), { minLength: a.sessions.length, maxLength: a.sessions.length }),
    )
    .map(([b, fates]): [EventSnapshot, EventSnapshot] => {
      const kept = a.sessions.flatMap((s, i): SessionDto[] => {
        const fate = fates[i]!;
        if (fate === 'drop') return [];
        if (fate === 'live') return [{ ...s, live: { editors: s.live.editors + 1, viewers: s.live.viewers } }];
        if (fate === 'move') return [{ ...s, startsAt: s.startsAt ? null : '2026-05-01T12:30:00.000Z' }];
        if (fate === 'rename') return [{ ...s, title: `Renamed ${s.id}` }];
        return [s];
      });
      const fresh = b.sessions.filter((s) => !a.sessions.some((x) => x.id === s.id));
      return [a, { event: b.event, sessions: sortSessions([...kept, ...fresh]) }];
    }),
);

describe('event stream deltas', () => {
  it('applied to what a client saw, give exactly the next state (in the API’s order), and every message passes the schema', () => {
    fc.assert(
      fc.property(pairArb, ([a, b]) => {
        let view: EventStreamView | null = applyEventStreamMessage(null, { type: 'snapshot', event: a.event, sessions: a.sessions });
        const msgs = deltas(baselineOf(a), baselineOf(b), b);
        for (const m of msgs) {
          expect(eventStreamMessageSchema.safeParse(JSON.parse(JSON.stringify(m))).success).toBe(true);
          view = applyEventStreamMessage(view, m);
        }
        expect(view).toEqual({ event: b.event, sessions: b.sessions });
        // Unchanged sessions cost nothing.
        expect(msgs.length).toBeLessThanOrEqual(b.sessions.length + a.sessions.length + 1);
        if (JSON.stringify(a) === JSON.stringify(b)) expect(msgs).toEqual([]);
      }),
      { numRuns: fuzzRuns(300) },
    );
  });
});
