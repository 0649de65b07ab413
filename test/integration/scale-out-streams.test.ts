import { afterEach, expect, it } from 'vitest';
import type { ChildServer } from '../helpers/childServer.js';
import { eventually } from '../helpers/eventually.js';
import { describeScaleOut } from '../helpers/describeScaleOut.js';
import { readSse, type SseReader } from '../helpers/sse.js';
import { createEventWithSession } from '../helpers/testServer.js';

/** A stream request that should be refused: its status and error, without waiting on a stream that was opened after all. */
async function refusal(url: string, token: string): Promise<{ status: number; error?: { code: string; params: Record<string, unknown> } }> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  if (res.ok) {
    controller.abort();
    return { status: res.status };
  }
  const body = (await res.json()) as { error: { code: string; params: Record<string, unknown> } };
  return { status: res.status, error: body.error };
}

describeScaleOut('event-stream caps shared between two processes', ({ servers }) => {
  const readers: SseReader[] = [];
  afterEach(() => {
    for (const r of readers.splice(0)) r.close();
  });

  it('an address opens its cap across A and B, the next stream gets 429 on either; a closed stream and a killed process free their slots', async () => {
    // A cap of 4 per address (both processes see this test on 127.0.0.1), and slots that lapse 1 s after their process dies.
    const [a, b] = (await servers(2, { STREAM_MAX_PER_ADDRESS: '4', LEASE_TTL_MS: '1000' })) as [ChildServer, ChildServer];
    const fx = await createEventWithSession(a.url, 'Shared stream caps');
    const token = fx.event.tokens.view;
    const streamOf = (s: ChildServer) => `${s.url}/api/events/${fx.event.event.id}/stream`;
    const open = async (s: ChildServer) => {
      const r = await readSse(streamOf(s), token);
      readers.push(r);
      return r;
    };
    const tryOpen = (s: ChildServer) => open(s).catch(() => null);

    // Two on each process: neither alone holds the cap of 4.
    const onA = [await open(a), await open(a)];
    await open(b);
    await open(b);
    for (const s of [a, b]) {
      const refused = await refusal(streamOf(s), token);
      expect(refused.status).toBe(429);
      expect(refused.error).toMatchObject({ code: 'too_many_streams', params: { per: 'address', max: 4 } });
    }

    // Closing one on A frees a slot that B may give.
    onA[0]!.close();
    await eventually(async () => (await tryOpen(b)) !== null, 5000, 'B to open a stream in the slot A freed');
    expect((await refusal(streamOf(a), token)).status).toBe(429);

    // A dies holding one stream (no release): its slot lapses within the TTL and B may give it.
    await a.kill9();
    await eventually(async () => (await tryOpen(b)) !== null, 10_000, 'B to open a stream in the killed process slot');
    const full = await refusal(streamOf(b), token);
    expect(full.status).toBe(429);
    expect(full.error?.code).toBe('too_many_streams');
  });
});
