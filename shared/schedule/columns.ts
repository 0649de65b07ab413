/**
 * The CSV columns the importer reads. The parser recognises a header by
 * these names (any order, any case, English or Japanese); the import dialog
 * lists them and the sample CSV is written with them.
 */
export type CsvColumnKey = 'title' | 'date' | 'start' | 'end' | 'endDate' | 'rooms' | 'moderators' | 'tags' | 'track' | 'description' | 'uid';

export interface CsvColumn {
  key: CsvColumnKey;
  /** The header the sample files use. */
  header: string;
  /** The Japanese header the sample files use. */
  ja: string;
  /** Further names recognised in a header row. */
  aliases: readonly string[];
  /** Shown in the dialog's column list (the rest are recognised quietly). */
  documented: boolean;
}

export const CSV_COLUMNS: readonly CsvColumn[] = [
  { key: 'title', header: 'title', ja: 'タイトル', documented: true, aliases: ['session', 'session title', 'name', 'summary', 'subject', 'topic', '題名', '件名', 'セッション', 'セッション名', 'テーマ'] },
  { key: 'date', header: 'date', ja: '日付', documented: true, aliases: ['day', 'start date', '日', '開催日', '開始日'] },
  { key: 'start', header: 'start', ja: '開始', documented: true, aliases: ['start time', 'starts', 'starts at', 'from', 'begin', '開始時刻', '開始時間'] },
  { key: 'end', header: 'end', ja: '終了', documented: true, aliases: ['end time', 'ends', 'ends at', 'to', 'finish', '終了時刻', '終了時間'] },
  { key: 'endDate', header: 'end date', ja: '終了日', documented: false, aliases: [] },
  { key: 'rooms', header: 'room', ja: '部屋', documented: true, aliases: ['rooms', 'location', 'venue', '会場', '場所', 'ルーム', '会議室'] },
  { key: 'moderators', header: 'moderators', ja: 'モデレーター', documented: true, aliases: ['moderator', 'speakers', 'speaker', 'host', 'hosts', 'chair', 'chairs', 'モデレータ', '司会', '座長', '登壇者', '発表者'] },
  { key: 'tags', header: 'tags', ja: 'タグ', documented: true, aliases: ['tag', 'categories', 'category', 'working group', 'working groups', 'wg', 'カテゴリ', 'カテゴリー', '分類', 'ワーキンググループ'] },
  { key: 'track', header: 'track', ja: 'トラック', documented: false, aliases: [] },
  { key: 'description', header: 'description', ja: '説明', documented: false, aliases: ['notes', 'abstract', '概要', '詳細', '備考'] },
  { key: 'uid', header: 'uid', ja: 'UID', documented: false, aliases: ['id'] },
];

/** Header cells as compared: NFKC (full-width letters), lower case, `_`/`-` as spaces, spaces collapsed. */
export function normaliseHeader(cell: string): string {
  return cell.normalize('NFKC').toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim();
}

const BY_NAME = new Map<string, CsvColumnKey>();
for (const c of CSV_COLUMNS) for (const name of [c.header, c.ja, ...c.aliases]) BY_NAME.set(normaliseHeader(name), c.key);

/** The column a header cell names, if any (never a prototype key: a Map, not an object). */
export function columnFor(headerCell: string): CsvColumnKey | undefined {
  return BY_NAME.get(normaliseHeader(headerCell));
}
