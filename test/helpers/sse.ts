/** Reads a Server-Sent Events stream with a Bearer token (as the client does, via fetch). */
export interface SseReader {
  events: { event: string; data: unknown }[];
  close(): void;
}

export async function readSse(url: string, token: string): Promise<SseReader> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  if (!res.ok || !res.body) throw new Error(`SSE ${res.status}`);
  const events: { event: string; data: unknown }[] = [];
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let idx: number;
        while ((idx = buffer.indexOf('\n\n')) >= 0) {
          const chunk = buffer.slice(0, idx);
          buffer = buffer.slice(idx + 2);
          const event = /^event: (.*)$/m.exec(chunk)?.[1] ?? 'message';
          const data = /^data: (.*)$/m.exec(chunk)?.[1];
          events.push({ event, data: data ? JSON.parse(data) : null });
        }
      }
    } catch {
      // aborted
    }
  })();
  return { events, close: () => controller.abort() };
}
