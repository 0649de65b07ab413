/** The q-quantile (0..1) of `values` (nearest rank); NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[idx]!;
}

export const MiB = 1024 * 1024;

/** Integer from the environment, or the default. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return n;
}

/** Comma-separated list from the environment ('none' for an empty list), or the default. */
export function envList(name: string, fallback: string[]): string[] {
  const raw = process.env[name];
  if (!raw) return fallback;
  if (raw === 'none') return [];
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

/** A value for a table cell; '-' when not measured. */
export function orDash(v: number): number | string {
  return Number.isFinite(v) ? v : '-';
}
