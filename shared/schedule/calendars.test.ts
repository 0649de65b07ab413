import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSchedule } from './parseSchedule.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/calendars');

interface Expected {
  timezone: string;
  warnings: string[];
  sessions: { title: string; start: string; end: string; rooms: string[]; moderators?: string[]; tags?: string[]; uid?: string; startsAt?: string }[];
}

/** "2025-10-14 08:30" in the zone. */
function local(iso: string | null, timeZone: string): string | null {
  if (!iso) return null;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

describe('calendars in the shapes real tools export', () => {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ics'));
  it('has the whole corpus', () => {
    expect(files.sort()).toEqual(['google-calendar.ics', 'legacy-vtimezone.ics', 'nextcloud.ics', 'outlook.ics', 'sched-conference.ics']);
  });

  for (const file of files) {
    it(`${file}: every session with its local times, rooms and the expected warnings`, () => {
      const expected = JSON.parse(fs.readFileSync(path.join(dir, file.replace(/\.ics$/, '.expected.json')), 'utf8')) as Expected;
      const result = parseSchedule(fs.readFileSync(path.join(dir, file)), 'text/calendar', { timezone: expected.timezone });
      if (!result.ok) throw new Error(JSON.stringify(result.details, null, 2));
      const actual = result.sessions.map((s, i) => {
        const want = expected.sessions[i];
        return {
          title: s.title,
          start: local(s.startsAt, expected.timezone),
          end: local(s.endsAt, expected.timezone),
          rooms: s.rooms,
          ...(want?.moderators ? { moderators: s.moderators } : {}),
          ...(want?.tags ? { tags: s.tags } : {}),
          ...(want?.uid ? { uid: s.uid } : {}),
          ...(want?.startsAt ? { startsAt: s.startsAt } : {}),
        };
      });
      expect(actual).toEqual(expected.sessions);
      expect(result.warnings.map((w) => w.code)).toEqual(expected.warnings);
    });
  }

  it('tells when the file\'s zone is not the event\'s (an Outlook file imported into a UTC event)', () => {
    const result = parseSchedule(fs.readFileSync(path.join(dir, 'outlook.ics')), 'text/calendar', { timezone: 'UTC' });
    expect(result.ok && result.warnings.find((w) => w.code === 'timezone_differs')).toMatchObject({ params: { file: 'Europe/Berlin', event: 'UTC' } });
    expect(result.ok && result.timezone).toBe('Europe/Berlin');
  });

  it('reads Windows zone names without their VTIMEZONE too (Exchange sometimes leaves it out)', () => {
    const text = fs.readFileSync(path.join(dir, 'outlook.ics'), 'utf8').replace(/BEGIN:VTIMEZONE[\s\S]*?END:VTIMEZONE\r\n/g, '');
    const result = parseSchedule(text, 'text/calendar', { timezone: 'Europe/Berlin' });
    if (!result.ok) throw new Error(JSON.stringify(result.details));
    expect(local(result.sessions.find((s) => s.title === '国内OpsWorkshop報告')!.startsAt, 'Asia/Tokyo')).toBe('2025-10-30 10:00');
    expect(local(result.sessions[0]!.startsAt, 'Europe/Berlin')).toBe('2025-10-21 09:00');
  });
});
