import { CSV_COLUMNS } from './columns.js';
import { writeScheduleIcs, type CalendarSession } from './icsWriter.js';
import { zonedToUtc } from './timezone.js';

export type SampleLang = 'en' | 'ja';

interface SampleRow {
  title: string;
  date: string;
  start: string;
  end: string;
  /** As typed in a CSV cell: `Room A;Room B`, or the word for every room. */
  room: string;
  moderators: string[];
  tags: string[];
}

const EN: SampleRow[] = [
  { title: 'Opening and agenda', date: '2026-06-09', start: '09:00', end: '09:30', room: 'All rooms', moderators: ['akiko'], tags: [] },
  { title: 'Upgrades and fast-forward', date: '2026-06-09', start: '09:45', end: '10:30', room: 'Room A', moderators: ['akiko'], tags: ['upgrades'] },
  { title: 'Large deployments', date: '2026-06-09', start: '09:45', end: '10:30', room: 'Room B', moderators: ['bruno', 'chen'], tags: ['ldt'] },
  { title: 'Hands-on: Ceph', date: '2026-06-09', start: '10:45', end: '12:15', room: 'Room A;Room B', moderators: ['emeka'], tags: ['storage'] },
  { title: 'NFV/Telco working group', date: '2026-06-09', start: '10:45', end: '11:30', room: 'Room C', moderators: ['bruno'], tags: ['nfv-telco', 'product-wg'] },
  { title: 'Lunch', date: '2026-06-09', start: '12:15', end: '13:15', room: 'All rooms', moderators: [], tags: [] },
  { title: 'Feedback and next meetup', date: '2026-06-10', start: '09:00', end: '09:45', room: 'Room A', moderators: ['farah'], tags: [] },
];

const JA: SampleRow[] = [
  { title: '開会・アジェンダ', date: '2026-06-09', start: '09:00', end: '09:30', room: '全会場', moderators: ['明子'], tags: [] },
  { title: 'アップグレードの進め方', date: '2026-06-09', start: '09:45', end: '10:30', room: 'ルームA', moderators: ['明子'], tags: ['upgrades'] },
  { title: '大規模運用', date: '2026-06-09', start: '09:45', end: '10:30', room: 'ルームB', moderators: ['ブルーノ', '陳'], tags: ['ldt'] },
  { title: 'ハンズオン: Ceph', date: '2026-06-09', start: '10:45', end: '12:15', room: 'ルームA;ルームB', moderators: ['エメカ'], tags: ['storage'] },
  { title: 'NFV/Telco ワーキンググループ', date: '2026-06-09', start: '10:45', end: '11:30', room: 'ルームC', moderators: ['ブルーノ'], tags: ['nfv-telco', 'product-wg'] },
  { title: '昼食', date: '2026-06-09', start: '12:15', end: '13:15', room: '全会場', moderators: [], tags: [] },
  { title: 'フィードバックと次回の予定', date: '2026-06-10', start: '09:00', end: '09:45', room: 'ルームA', moderators: ['ファラ'], tags: [] },
];

const rowsFor = (lang: SampleLang) => (lang === 'ja' ? JA : EN);

function csvCell(value: string): string {
  return /[",;\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A sample CSV with the documented columns, headed in the language asked for
 * (the header names come from the parser's own column list, so the sample
 * always imports).
 */
export function sampleCsv(lang: SampleLang): string {
  const columns = CSV_COLUMNS.filter((c) => c.documented);
  const header = columns.map((c) => (lang === 'ja' ? c.ja : c.header));
  const lines = rowsFor(lang).map((r) =>
    columns
      .map((c) => {
        switch (c.key) {
          case 'title': return r.title;
          case 'date': return r.date;
          case 'start': return r.start;
          case 'end': return r.end;
          case 'rooms': return r.room;
          case 'moderators': return r.moderators.join(';');
          case 'tags': return r.tags.join(';');
          default: return '';
        }
      })
      .map(csvCell)
      .join(','),
  );
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}

/** The same sample as iCalendar, in `timezone`, written by the feed's own writer. */
export function sampleIcs(lang: SampleLang, timezone: string): string {
  const at = (date: string, time: string) => {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    const [h, min] = time.split(':').map(Number) as [number, number];
    return new Date(zonedToUtc({ year: y, month: m, day: d, hour: h, minute: min, second: 0 }, timezone)).toISOString();
  };
  const sessions: CalendarSession[] = rowsFor(lang).map((r, i) => ({
    id: `sample${String(i + 1).padStart(10, '0')}`,
    uid: `sample-${i + 1}@roundtable.invalid`,
    title: r.title,
    startsAt: at(r.date, r.start),
    endsAt: at(r.date, r.end),
    rooms: r.room.includes(';') ? r.room.split(';') : /^(All rooms|全会場)$/.test(r.room) ? [] : [r.room],
    track: null,
    moderators: r.moderators,
    tags: r.tags,
    description: null,
    updatedAt: '2026-01-01T00:00:00.000Z',
    notesUrl: null,
  }));
  return writeScheduleIcs({ title: lang === 'ja' ? 'サンプルのスケジュール' : 'Sample schedule', timezone, sessions, now: new Date('2026-01-01T00:00:00Z') });
}
