import { applyEventStreamMessage, parseEventStreamMessage, type EventStreamMessage, type EventStreamView } from '../../shared/eventStream.js';
import { readSseFrames } from '../../shared/sseFrames.js';

/** Reads a Server-Sent Events stream with a Bearer token (as the client does, via fetch). */
export interface SseReader {
  /** Every frame received, its data parsed as JSON. */
  events: { event: string; data: unknown }[];
  /** The event and its sessions as the client would show them: the snapshot with every delta applied. */
  view(): EventStreamView | null;
  /** True once the server ended or dropped the stream. */
  ended(): boolean;
  close(): void;
}

export async function readSse(url: string, token: string): Promise<SseReader> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  if (!res.ok || !res.body) throw new Error(`SSE ${res.status}`);
  const events: { event: string; data: unknown }[] = [];
  let view: EventStreamView | null = null;
  let ended = false;
  void (async () => {
    try {
      for await (const frame of readSseFrames(res.body!)) {
        const data: unknown = JSON.parse(frame.data);
        events.push({ event: frame.event, data });
        const msg: EventStreamMessage | null = parseEventStreamMessage(data);
        if (!msg) throw new Error(`a frame the stream schema refuses: ${frame.data.slice(0, 200)}`);
        view = applyEventStreamMessage(view, msg);
      }
    } catch {
      // aborted or dropped
    } finally {
      ended = true;
    }
  })();
  return { events, view: () => view, ended: () => ended, close: () => controller.abort() };
}
