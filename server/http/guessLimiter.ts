/**
 * Failed guesses (join codes, slug look-ups) per client address in a sliding
 * window: the port. In memory by default (GuessLimiter below); with REDIS_URL
 * counted in Redis (server/bus/redisGuessLimiter.ts), so a guesser spread
 * over several processes behind a load balancer meets one limit.
 */
export interface GuessCounter {
  /** Whether `address` used up its failures in the window. */
  blocked(address: string): boolean | Promise<boolean>;
  /** Counts one failure of `address`. */
  fail(address: string): void | Promise<void>;
}

export interface GuessLimits {
  maxFailures: number;
  windowMs: number;
}

/** Makes the limiter named `name` ("join", "slug"): limiters of one name share their counts. */
export type GuessLimiterFactory = (name: string, limits: GuessLimits) => GuessCounter;

export const memoryGuessLimiters: GuessLimiterFactory = (_name, limits) => new GuessLimiter(limits);

/**
 * Counts failed join-code look-ups per client address in a sliding minute.
 * Only failures count, so a whole room behind one NAT typing the right code
 * is never slowed down; someone guessing codes is stopped after a few tries.
 */
export class GuessLimiter implements GuessCounter {
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
