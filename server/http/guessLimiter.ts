/**
 * Counts failed join-code look-ups per client address in a sliding minute.
 * Only failures count, so a whole room behind one NAT typing the right code
 * is never slowed down; someone guessing codes is stopped after a few tries.
 */
export class GuessLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly opts: { maxFailures: number; windowMs: number; maxTracked?: number },
    private readonly now: () => number = Date.now,
  ) {}

  blocked(address: string): boolean {
    return this.recent(address).length >= this.opts.maxFailures;
  }

  fail(address: string): void {
    const list = this.recent(address);
    list.push(this.now());
    this.failures.delete(address);
    this.failures.set(address, list);
    // Bounded memory under a spray from many addresses: forget the oldest first (Map keeps insertion order).
    const cap = this.opts.maxTracked ?? 10_000;
    while (this.failures.size > cap) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }

  private recent(address: string): number[] {
    const since = this.now() - this.opts.windowMs;
    const list = (this.failures.get(address) ?? []).filter((t) => t > since);
    if (list.length === 0) this.failures.delete(address);
    return list;
  }
}
