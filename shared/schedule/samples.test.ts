import { describe, expect, it } from 'vitest';
import { parseSchedule } from './parseSchedule.js';
import { sampleCsv, sampleIcs } from './samples.js';
import type { ImportedSession } from './types.js';

const ok = (r: ReturnType<typeof parseSchedule>): ImportedSession[] => {
  if (!r.ok) throw new Error(JSON.stringify(r.details));
  expect(r.warnings).toEqual([]);
  return r.sessions;
};
const key = (s: ImportedSession) => [s.title, s.startsAt, s.endsAt, s.rooms, s.moderators, s.tags];

describe('the sample files offered in the import dialog', () => {
  for (const lang of ['en', 'ja'] as const) {
    it(`(${lang}) import without a problem or warning, and the CSV and the .ics give the same schedule`, () => {
      const csv = ok(parseSchedule(sampleCsv(lang), 'text/csv', { timezone: 'Asia/Tokyo' }));
      const ics = ok(parseSchedule(sampleIcs(lang, 'Asia/Tokyo'), 'text/calendar', { timezone: 'Asia/Tokyo' }));
      expect(csv).toHaveLength(7);
      expect(ics.map(key)).toEqual(csv.map(key));
      // A plenary (no room: every room), a session in two rooms, and times read in the event's zone.
      expect(csv[0]).toMatchObject({ rooms: [], startsAt: '2026-06-09T00:00:00.000Z' });
      expect(csv[3]!.rooms).toHaveLength(2);
    });
  }

  it('heads the Japanese CSV with the Japanese column names', () => {
    expect(sampleCsv('ja').split('\r\n')[0]).toBe('タイトル,日付,開始,終了,部屋,モデレーター,タグ');
    expect(sampleCsv('en').split('\r\n')[0]).toBe('title,date,start,end,room,moderators,tags');
  });
});
