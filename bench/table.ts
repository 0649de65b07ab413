/** One benchmark's result: a titled table of rows, printed by `npm run bench`. */
export interface BenchTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  /** Optional lines printed under the table (method, caveats). */
  notes?: string[];
}

export interface Bench {
  /** Short name used with `npm run bench -- <name>`. */
  name: string;
  /** Runs only when named (`npm run bench -- soak`): too long for the default run. */
  onlyWhenNamed?: boolean;
  run(): Promise<BenchTable[]>;
}

function cell(v: string | number): string {
  if (typeof v === 'string') return v;
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return v.toLocaleString('en-US', { maximumFractionDigits: Math.abs(v) < 10 ? 3 : 1 });
}

/** Renders a table as GitHub Markdown, so the output can be pasted into the README. */
export function formatTable(t: BenchTable): string {
  const rows = t.rows.map((r) => r.map(cell));
  const widths = t.columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const out = [`### ${t.title}`, '', line(t.columns), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)];
  if (t.notes?.length) out.push('', ...t.notes);
  return out.join('\n');
}

/** Milliseconds since `start` (from performance.now()). */
export function since(start: number): number {
  return performance.now() - start;
}
