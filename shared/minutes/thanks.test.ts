import { describe, expect, it } from 'vitest';
import { MINUTES_LABELS } from './labels.js';
import type { MinutesEvent, MinutesSession } from './model.js';
import { thanksLines } from './thanks.js';

function session(id: string, noteTakers: string[], moderators: string[], owners: string[][]): MinutesSession {
  return {
    event: { title: 'Ops', timezone: 'UTC' },
    session: { id, title: id, startsAt: null, endsAt: null, rooms: [], moderators, tags: [] },
    noteTakers,
    notes: { type: 'doc', content: [] },
    actionItems: owners.map((o, i) => ({ id: `${id}${i}`.padEnd(16, 'a'), sessionId: id, text: 'x', owners: o, due: null, tags: [], status: 'open' as const })),
  };
}

const event = (sessions: MinutesSession[]): MinutesEvent => ({ event: { title: 'Ops', timezone: 'UTC', slug: 'ops' }, sessions, generatedAt: '2016-04-26T00:00:00Z' });

describe('the minutes’ thanks section', () => {
  it('one line per role, each person once, spellings merged as in the contributors report', () => {
    const e = event([session('a', ['Alice', 'bob'], ['Carol'], [['alice'], ['@Alice', 'dave']]), session('b', ['alice '], ['@carol'], [])]);
    // "alice" is the spelling used most (a note-taker's "alice " and an owner's "alice").
    expect(thanksLines(e, MINUTES_LABELS.en).map((l) => `${l.label}: ${l.text}`)).toEqual(['Note-takers: alice and bob', 'Moderators: Carol', 'Action-item owners: alice and dave']);
  });

  it('in the event’s language; roles with nobody are left out', () => {
    const e = event([session('a', ['佐藤', '鈴木', 'Alice'], [], [])]);
    expect(thanksLines(e, MINUTES_LABELS.ja)).toEqual([{ label: '書記', names: ['Alice', '佐藤', '鈴木'], text: 'Alice、佐藤、鈴木' }]);
    expect(thanksLines(event([session('a', [], [], [])]), MINUTES_LABELS.en)).toEqual([]);
  });
});
