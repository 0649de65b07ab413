import type { CheckResult, Readiness } from '../storage/storageHealth.js';

/** Readiness with checks beyond storage's own (Redis, once scale-out adds it). */
export interface ExtendedReadiness {
  ready: boolean;
  checks: Readiness['checks'] & Record<string, CheckResult>;
}

/**
 * The seam for readiness checks other parts add (the scale-out work's Redis
 * connection): each named check runs with storage's on every /readyz, and
 * the server is ready only when all of them pass. A check that throws fails.
 */
export class ReadinessChecks {
  private readonly extra = new Map<string, () => CheckResult>();

  constructor(private readonly base: () => Readiness) {}

  add(name: string, check: () => CheckResult): void {
    if (name in this.base().checks || this.extra.has(name)) throw new Error(`a readiness check named ${name} exists already`);
    this.extra.set(name, check);
  }

  readiness(): ExtendedReadiness {
    const base = this.base();
    const checks: ExtendedReadiness['checks'] = { ...base.checks };
    for (const [name, check] of this.extra) {
      try {
        checks[name] = check();
      } catch (err) {
        checks[name] = { ok: false, detail: err instanceof Error ? err.message : String(err) };
      }
    }
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  }
}
