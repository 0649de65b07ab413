const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration like `90s`, `15m`, `1h`, `1d` or `1h30m`, in milliseconds; null
 * when the text is anything else. Bare numbers are refused: "60" could be
 * seconds or minutes, and a backup every 60 ms would be a mistake.
 */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (!/^(?:\d+(?:\.\d+)?[smhd])+$/.test(t)) return null;
  let ms = 0;
  for (const [, n, unit] of t.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)) ms += Number(n) * UNITS[unit!]!;
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms) : null;
}
