/** Fuzz runs per property: small in CI, many under `npm run fuzz` (FUZZ_RUNS). */
export function fuzzRuns(ciRuns: number): number {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isFinite(n) && n > 0 ? n : ciRuns;
}
