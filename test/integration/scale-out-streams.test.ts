import { afterEach, expect, it } from 'vitest';
import type { ChildServer } from '../helpers/childServer.js';
import { eventually } from '../helpers/eventually.js';
import { describeScaleOut } from '../helpers/describeScaleOut.js';
import { readSse, type SseReader } from '../helpers/sse.js';
import { api, createEventWithSession } from '../helpers/testServer.js';
import { connectClient, waitForSync, type YClient } from '../helpers/yClient.js';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import type { EventStreamMessage } from '../../shared/eventStream.js';

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

describeScaleOut('a link rotated on one process, heard on the others', ({ servers }) => {
  const readers: SseReader[] = [];
  const clients: YClient[] = [];
  afterEach(() => {
    for (const r of readers.splice(0)) r.close();
    for (const c of clients.splice(0)) c.destroy();
  });

  it('rotating the edit link on A ends B’s streams and sockets of the old link, and B’s moderator streams hear linksRotated (no token in it)', async () => {
    const [a, b] = (await servers(2)) as [ChildServer, ChildServer];
    const fx = await createEventWithSession(a.url, 'Rotation across processes');
    const streamOn = async (s: ChildServer, token: string) => {
      const r = await readSse(`${s.url}/api/events/${fx.event.event.id}/stream`, token);
      readers.push(r);
      return r;
    };
    const modOnB = await streamOn(b, fx.event.tokens.moderate);
    const editOnB = await streamOn(b, fx.event.tokens.edit);
    const viewOnB = await streamOn(b, fx.event.tokens.view);
    const writer = connectClient(b.wsUrl, fx.session.id, fx.event.tokens.edit);
    clients.push(writer);
    await waitForSync(writer);
    await eventually(async () => modOnB.view() !== null && editOnB.view() !== null && viewOnB.view() !== null, 5000, 'the three streams to get their snapshots');

    const rotated = await api<{ token: string }>(a.url, 'POST', `/api/events/${fx.event.event.id}/links/edit/rotate`, { token: fx.event.tokens.moderate });
    expect(rotated.status).toBe(200);

    const types = (r: SseReader) => r.events.map((e) => (e.data as EventStreamMessage).type);
    await eventually(async () => types(modOnB).includes('linksRotated'), 10_000, 'B’s moderator stream to hear of the rotation');
    expect(modOnB.events.map((e) => e.data).filter((m) => (m as EventStreamMessage).type === 'linksRotated')).toEqual([{ type: 'linksRotated', role: 'edit' }]);
    expect(JSON.stringify(modOnB.events)).not.toContain(rotated.body.token);
    await eventually(async () => editOnB.ended(), 10_000, 'B’s stream of the old edit link to end');
    expect(types(editOnB)).toContain('revoked');
    expect(types(editOnB)).not.toContain('linksRotated');
    await eventually(async () => writer.closes.length > 0, 10_000, 'B’s socket of the old edit link to close');
    expect(writer.closes[0]!.code).toBe(CLOSE_CODES.tokenRevoked);
    // The view link was not rotated: its stream stays open and hears nothing of it.
    expect(viewOnB.ended()).toBe(false);
    expect(types(viewOnB)).not.toContain('linksRotated');
  });
});
