export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const browserTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface LivenessOptions {
  /** Silence, while waiting for the server, after which a probe is sent. */
  probeAfterMs: number;
  /** How long the server has to answer the probe (with anything at all). */
  answerWithinMs: number;
  /** Sends a message the server must answer (a sync step 1). */
  sendProbe(): void;
  /** The server did not answer: the connection is dead even if the socket says it is open. */
  onUnresponsive(): void;
  timers?: Timers;
}

/**
 * Notices a connection that is open but no longer answered: a server that
 * hangs, a laptop whose Wi-Fi died without closing the socket. The stock
 * client only notices after 30 s of silence; here, while anything we sent is
 * waiting for the server's confirmation, silence for `probeAfterMs` sends a
 * probe the server must answer, and no answer within `answerWithinMs` calls
 * `onUnresponsive`. Nothing is sent while nothing is waiting, so idle readers
 * cost the server nothing.
 */
export class LivenessWatch {
  private waiting = false;
  private probeTimer: unknown = null;
  private answerTimer: unknown = null;
  private readonly timers: Timers;

  constructor(private readonly opts: LivenessOptions) {
    this.timers = opts.timers ?? browserTimers;
  }

  /** Something now waits for the server (a document message was sent, or a probe is wanted at once). */
  expectAnswer(): void {
    if (this.waiting) return;
    this.waiting = true;
    this.armProbe();
  }

  /** Sends a probe right now (the browser says the network is back, or it went away). */
  probeNow(): void {
    this.waiting = true;
    this.clearProbe();
    this.fireProbe();
  }

  /** Any message from the server: it is alive. */
  received(): void {
    this.clearAnswer();
    if (this.waiting) this.armProbe();
  }

  /** Nothing waits for the server any more (everything sent is confirmed). */
  settled(): void {
    this.waiting = false;
    this.clearProbe();
  }

  /** The socket closed or the session ended: forget everything. */
  stop(): void {
    this.waiting = false;
    this.clearProbe();
    this.clearAnswer();
  }

  private armProbe(): void {
    this.clearProbe();
    this.probeTimer = this.timers.setTimeout(() => {
      this.probeTimer = null;
      this.fireProbe();
    }, this.opts.probeAfterMs);
  }

  private fireProbe(): void {
    if (this.answerTimer !== null) return;
    this.opts.sendProbe();
    this.answerTimer = this.timers.setTimeout(() => {
      this.answerTimer = null;
      this.stop();
      this.opts.onUnresponsive();
    }, this.opts.answerWithinMs);
  }

  private clearProbe(): void {
    if (this.probeTimer !== null) this.timers.clearTimeout(this.probeTimer);
    this.probeTimer = null;
  }

  private clearAnswer(): void {
    if (this.answerTimer !== null) this.timers.clearTimeout(this.answerTimer);
    this.answerTimer = null;
  }
}
