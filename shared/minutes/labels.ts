/** The counts of an event's statistics line (the words around them are the labels'). */
export interface MinutesStats {
  sessions: number;
  contributors: number;
  actionItems: number;
  open: number;
}

/** The languages minutes can be written in: the event's language. */
export type MinutesLanguage = 'en' | 'ja';

/**
 * The fixed words every minutes renderer writes (md, html, txt, docx, pdf),
 * in one table per language, so a Japanese event's minutes have Japanese
 * headings in every format. User text (titles, names, notes) never goes
 * through here.
 */
export interface MinutesLabels {
  /** Locale and weekday style for the date in the header. */
  locale: string;
  weekday: 'long' | 'short';
  /** "Monday, 25 April 2016, 11:15–11:55 (America/Chicago)": `day` and `span` are already formatted. */
  when(day: string, span: string, timeZone: string): string;
  /** Title of an event's minutes. */
  minutesTitle(eventTitle: string): string;
  /** Download file name of an event's minutes, without extension. */
  minutesFile(eventTitle: string): string;
  event: string;
  whenLabel: string;
  room: string;
  /** The same header for a session in several rooms. */
  rooms: string;
  moderators: string;
  noteTakers: string;
  tags: string;
  noNotes: string;
  /** Plain text's "(no notes)". */
  noNotesShort: string;
  /** Plain text's "(none)" under an empty action-item summary. */
  none: string;
  actionSummary: string;
  noActionItems: string;
  /** Action-item table headers. */
  owner: string;
  item: string;
  due: string;
  status: string;
  statusValue: Record<'open' | 'done', string>;
  /** Name of a Word check box. */
  checkBox: string;
  contents: string;
  byOwner: string;
  byWorkingGroup: string;
  unassigned: string;
  untagged: string;
  /** "due 2016-05-17". */
  dueOn(date: string): string;
  /** "26 sessions · 41 contributors · 87 action items (52 open)". */
  stats(s: MinutesStats, separator: string): string;
  /** Heading over items copied from another session. */
  carriedForwardFrom(sessionTitle: string): string;
  /** Title of an action-item list download. */
  actionItemsOf(title: string): string;
  /** The event minutes' thank-you section (shared/minutes/thanks.ts): its heading, and the label of owners. */
  thanksTo: string;
  actionItemOwners: string;
  /** Joins names in a sentence ("A, B and C", "A、B、C"). */
  nameList(names: readonly string[]): string;
  /** The contributors report download (shared/contributors/export.ts). */
  contributorsOf(eventTitle: string): string;
  name: string;
  characters: string;
  actionItemsDoneOwned: string;
  noContributors: string;
  charactersNote: string;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export const MINUTES_LABELS: Record<MinutesLanguage, MinutesLabels> = {
  en: {
    locale: 'en-GB',
    weekday: 'long',
    when: (day, span, tz) => `${day}, ${span} (${tz})`,
    minutesTitle: (t) => `${t} — minutes`,
    minutesFile: (t) => `${t} minutes`,
    event: 'Event',
    whenLabel: 'When',
    room: 'Room',
    rooms: 'Rooms',
    moderators: 'Moderators',
    noteTakers: 'Note-takers',
    tags: 'Tags',
    noNotes: 'No notes.',
    noNotesShort: 'no notes',
    none: 'none',
    actionSummary: 'Action item summary',
    noActionItems: 'No action items.',
    owner: 'Owner',
    item: 'Item',
    due: 'Due',
    status: 'Status',
    statusValue: { open: 'open', done: 'done' },
    checkBox: 'Done',
    contents: 'Contents',
    byOwner: 'Action items by owner',
    byWorkingGroup: 'Action items by working group',
    unassigned: 'Unassigned',
    untagged: 'untagged',
    dueOn: (d) => `due ${d}`,
    stats: (s, sep) =>
      [count(s.sessions, 'session', 'sessions'), count(s.contributors, 'contributor', 'contributors'), `${count(s.actionItems, 'action item', 'action items')} (${s.open} open)`].join(sep),
    carriedForwardFrom: (t) => `Carried forward from “${t}”`,
    actionItemsOf: (t) => `Action items — ${t}`,
    thanksTo: 'Thanks to',
    actionItemOwners: 'Action-item owners',
    nameList: (n) => (n.length <= 2 ? n.join(' and ') : `${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}`),
    contributorsOf: (t) => `Contributors — ${t}`,
    name: 'Name',
    characters: 'Characters',
    actionItemsDoneOwned: 'Action items (done / owned)',
    noContributors: 'Nobody yet.',
    charactersNote: 'Characters: typed by this person and still in the final notes, as far as Roundtable can tell (— = not measured).',
  },
  ja: {
    locale: 'ja-JP',
    weekday: 'short',
    when: (day, span, tz) => `${day} ${span} (${tz})`,
    minutesTitle: (t) => `${t} 議事録`,
    minutesFile: (t) => `${t} 議事録`,
    event: 'イベント',
    whenLabel: '日時',
    room: '部屋',
    rooms: '部屋',
    moderators: 'モデレーター',
    noteTakers: '書記',
    tags: 'タグ',
    noNotes: 'メモはありません。',
    noNotesShort: 'メモなし',
    none: 'なし',
    actionSummary: 'アクションアイテム一覧',
    noActionItems: 'アクションアイテムはありません。',
    owner: '担当',
    item: '内容',
    due: '期限',
    status: '状態',
    statusValue: { open: '未完了', done: '完了' },
    checkBox: '完了',
    contents: '目次',
    byOwner: '担当者別アクションアイテム',
    byWorkingGroup: 'ワーキンググループ別アクションアイテム',
    unassigned: '担当者なし',
    untagged: 'タグなし',
    dueOn: (d) => `期限 ${d}`,
    stats: (s, sep) => [`セッション ${s.sessions} 件`, `記入者 ${s.contributors} 人`, `アクションアイテム ${s.actionItems} 件（未完了 ${s.open} 件）`].join(sep),
    carriedForwardFrom: (t) => `「${t}」からの引き継ぎ`,
    actionItemsOf: (t) => `アクションアイテム — ${t}`,
    thanksTo: '謝辞',
    actionItemOwners: 'アクションアイテム担当',
    nameList: (n) => n.join('、'),
    contributorsOf: (t) => `貢献者 — ${t}`,
    name: '名前',
    characters: '文字数',
    actionItemsDoneOwned: 'アクションアイテム（完了 / 担当）',
    noContributors: 'まだいません。',
    charactersNote: '文字数: 本人が入力し、最終的なメモに残っている文字数（Roundtable が把握できる範囲。— は計測なし）。',
  },
};

/** The labels of a language; anything unknown (or missing, as in minutes made before events had one) is English. */
export function minutesLabels(language?: string | null): MinutesLabels {
  return language === 'ja' ? MINUTES_LABELS.ja : MINUTES_LABELS.en;
}
