import type { Response } from 'express';

/**
 * Server-Sent Events per event: every subscriber gets the event's title and
 * time zone with the full session list whenever something changes
 * (debounced), so a page never needs a reload.
 */
export class EventStreamHub {
  private readonly subscribers = new Map<string, Set<Response>>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  /** The local day each session last got notes, so "notes today" is pushed once a day, not on every keystroke. */
  private readonly notesDay = new Map<string, string>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly snapshot: (eventId: string) => unknown,
    private readonly debounceMs = 200,
    heartbeatMs = 25_000,
  ) {
    this.heartbeat = setInterval(() => this.broadcastAll('ping', {}), heartbeatMs);
    this.heartbeat.unref();
  }

  subscribe(eventId: string, res: Response): void {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    let set = this.subscribers.get(eventId);
    if (!set) this.subscribers.set(eventId, (set = new Set()));
    set.add(res);
    write(res, 'sessions', this.snapshot(eventId));
    res.on('close', () => {
      set.delete(res);
      if (set.size === 0) this.subscribers.delete(eventId);
    });
  }

  changed(eventId: string): void {
    if (!this.subscribers.has(eventId) || this.pending.has(eventId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(eventId);
      const subs = this.subscribers.get(eventId);
      if (!subs) return;
      const data = this.snapshot(eventId);
      for (const res of subs) write(res, 'sessions', data);
    }, this.debounceMs);
    timer.unref();
    this.pending.set(eventId, timer);
  }

  /** Notes of a session were stored; subscribers hear about it when that is news for the day (`localDay` in the event's zone). */
  notesWritten(eventId: string, sessionId: string, localDay: string): void {
    if (this.notesDay.get(sessionId) === localDay) return;
    this.notesDay.set(sessionId, localDay);
    this.changed(eventId);
  }

  /** Sends a named event with data to every subscriber of an event, at once. */
  publish(eventId: string, event: string, data: unknown): void {
    for (const res of this.subscribers.get(eventId) ?? []) write(res, event, data);
  }

  private broadcastAll(event: string, data: unknown): void {
    for (const subs of this.subscribers.values()) for (const res of subs) write(res, event, data);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const t of this.pending.values()) clearTimeout(t);
    for (const subs of this.subscribers.values()) for (const res of subs) res.end();
    this.subscribers.clear();
  }
}

function write(res: Response, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
