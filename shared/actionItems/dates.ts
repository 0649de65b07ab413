/** Due-date recognition. Slash dates are month/day, as US-centric schedules write them. */

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11, november: 11,
  dec: 12, december: 12,
};

const MONTH_NAMES = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';

export interface DateContext {
  /** YYYY-MM-DD; year-less dates resolve to the next such date on or after it. */
  anchor: string | null;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function isValidDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2999) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

function withYear(y: number | null, m: number, d: number, ctx: DateContext): string | null {
  if (y !== null) return isValidDate(y, m, d) ? `${y}-${pad(m)}-${pad(d)}` : null;
  if (!ctx.anchor) return null;
  const [ay, am, ad] = ctx.anchor.split('-').map(Number) as [number, number, number];
  // Feb 29 without a year: look a few years ahead for the next leap day.
  for (let year = ay; year < ay + 8; year++) {
    if (!isValidDate(year, m, d)) continue;
    if (year > ay || m > am || (m === am && d >= ad)) return `${year}-${pad(m)}-${pad(d)}`;
  }
  return null;
}

/** A date written right after a keyword ("due", "by", 期限, 〆切 …), in any supported form. */
// English keywords need a word boundary and a separator; Japanese is written without spaces.
const KEYWORD = String.raw`(?:(?:^|[^\p{L}\p{N}])(?:due(?:\s+date)?|by|until|deadline)(?:\s*:\s*|\s+)|(?:期限|〆切|締切|締め切り|しめきり)\s*[:は]?\s*)`;
const ISO = String.raw`(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})`;
const SLASH = String.raw`(\d{1,2})/(\d{1,2})(?:/(\d{4}))?`;
const JP = String.raw`(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日`;
const NAMED_MD = String.raw`(${MONTH_NAMES})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?`;
const NAMED_DM = String.raw`(\d{1,2})(?:st|nd|rd|th)?\s+(${MONTH_NAMES})\.?(?:,?\s+(\d{4}))?`;

const KEYWORD_DATE = new RegExp(
  String.raw`${KEYWORD}(?:${ISO}|${JP}|${SLASH}|${NAMED_MD}|${NAMED_DM})(?![\p{N}])`,
  'iud',
);
const ANY_ISO = new RegExp(String.raw`(?:^|[^\p{N}])${ISO}(?![\p{N}])`, 'ud');
const JP_MADE = new RegExp(String.raw`${JP}\s*(?:まで|迄)`, 'ud');

function num(s: string | undefined): number | null {
  return s === undefined ? null : Number(s);
}

/** A due date and where it is written: [start, end) of the date itself, without its keyword. */
export interface DueDateMatch {
  date: string;
  start: number;
  end: number;
}

/** Where the date of a match starts: its first captured part (keywords are not captured). */
function dateStart(m: RegExpExecArray): number {
  let start = m.index + m[0].length;
  for (const range of m.indices?.slice(1) ?? []) if (range && range[0] < start) start = range[0];
  return start;
}

/**
 * Finds the due date in a (normalised) block of text, and where it is, or
 * null. Words like "next meeting" or 来週 are not dates and stay text.
 */
export function findDueDateMatch(text: string, ctx: DateContext): DueDateMatch | null {
  const k = KEYWORD_DATE.exec(text);
  if (k) {
    const g = k.slice(1);
    // Groups: ISO(3) JP(3) SLASH(3) NAMED_MD(3) NAMED_DM(3)
    let date: string | null = null;
    if (g[0]) date = withYear(num(g[0]), Number(g[1]), Number(g[2]), ctx);
    else if (g[4]) date = withYear(num(g[3]), Number(g[4]), Number(g[5]), ctx);
    else if (g[6]) date = withYear(num(g[8]), Number(g[6]), Number(g[7]), ctx);
    else if (g[9]) date = withYear(num(g[11]), MONTHS[g[9].toLowerCase()] ?? 0, Number(g[10]), ctx);
    else if (g[13]) date = withYear(num(g[14]), MONTHS[g[13].toLowerCase()] ?? 0, Number(g[12]), ctx);
    if (date) return { date, start: dateStart(k), end: k.index + k[0].length };
    if (g.some((x) => x !== undefined)) return null;
  }
  const iso = ANY_ISO.exec(text);
  if (iso) {
    const d = withYear(Number(iso[1]), Number(iso[2]), Number(iso[3]), ctx);
    if (d) return { date: d, start: dateStart(iso), end: iso.index + iso[0].length };
  }
  const jp = JP_MADE.exec(text);
  if (jp) {
    const d = withYear(num(jp[1]), Number(jp[2]), Number(jp[3]), ctx);
    // The date ends with 日; まで stays text.
    if (d) return { date: d, start: dateStart(jp), end: jp.indices![3]![1] + 1 };
  }
  return null;
}

export function findDueDate(text: string, ctx: DateContext): string | null {
  return findDueDateMatch(text, ctx)?.date ?? null;
}
