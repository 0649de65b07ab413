import { describe, expect, it } from 'vitest';
import { groupItems, type MinutesEvent, type MinutesSession } from './model.js';

function session(id: string, startsAt: string, owners: string[][], tags: string[] = []): MinutesSession {
  return {
    event: { title: 'Ops', timezone: 'UTC' },
    session: { id, title: id, startsAt, endsAt: null, rooms: [], moderators: [], tags },
    noteTakers: [],
    notes: { type: 'doc', content: [] },
    actionItems: owners.map((o, i) => ({ id: `${id}${i}`.padEnd(16, 'a'), sessionId: id, text: `${id}${i}`, owners: o, due: null, tags: [], status: 'open' as const })),
  };
}

const event = (sessions: MinutesSession[]): MinutesEvent => ({ event: { title: 'Ops', timezone: 'UTC', slug: 'ops' }, sessions, generatedAt: '2016-04-26T00:00:00Z' });
const summary = (g: ReturnType<typeof groupItems>) => [...g].map(([k, list]) => [k, list.map((x) => x.item.text)]);

describe('groupItems by owner', () => {
  it('merges spellings of one owner as the board and the owner= filter do, under the most used spelling', () => {
    const e = event([
      session('s1', '2016-04-25T10:00:00Z', [['ann'], ['Ann'], ['bob']]),
      session('s2', '2016-04-25T11:00:00Z', [['ANN', '@ann'], ['Ann'], []]),
    ]);
    expect(summary(groupItems(e, 'owners', 'Unassigned'))).toEqual([
      ['Ann', ['s10', 's11', 's20', 's21']],
      ['bob', ['s12']],
      ['Unassigned', ['s22']],
    ]);
  });

  it('on a tie, the first spelling seen in schedule order; separators and width do not split a person', () => {
    const e = event([session('s2', '2016-04-25T11:00:00Z', [['dana_smith']]), session('s1', '2016-04-25T10:00:00Z', [['Dana Smith'], ['ＴＡＲＯ'], ['taro']])]);
    expect(summary(groupItems(e, 'owners', 'Unassigned'))).toEqual([
      ['Dana Smith', ['s10', 's20']],
      ['ＴＡＲＯ', ['s11', 's12']],
    ]);
  });

  it('working groups are unchanged: an item without tags goes under its session’s tags', () => {
    const e = event([session('s1', '2016-04-25T10:00:00Z', [['ann']], ['nova'])]);
    expect(summary(groupItems(e, 'tags', 'Untagged'))).toEqual([['nova', ['s10']]]);
  });
});
