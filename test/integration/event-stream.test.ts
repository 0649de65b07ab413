import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { EventStreamMessage } from '../../shared/eventStream.js';
import type { EventWithSessionsDto, SessionDto } from '../../shared/schemas.js';
import { readSse, type SseReader } from '../helpers/sse.js';
import { apiClient, api, createEventWithSession, serverSuite, startTestServer, type TestServer } from '../helpers/testServer.js';
import { connectClient, waitFor, waitForSync } from '../helpers/yClient.js';

const streamUrl = (s: TestServer, eventId: string) => `${s.url}/api/events/${eventId}/stream`;
/** What changed the session list since `from` (action-item notices from the tagger and pings aside). */
const messagesAfter = (r: SseReader, from: number) =>
  r.events
    .slice(from)
    .map((e) => e.data as EventStreamMessage)
    .filter((m) => m.type !== 'actionItems' && m.type !== 'ping');

/** A stream opened by hand on a raw socket whose reader never reads: the kernel's buffers fill, then the server's. */
function neverReadingStream(s: TestServer, eventId: string, token: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(s.port, '127.0.0.1', () => {
      socket.write(`GET /api/events/${eventId}/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n\r\n`);
      // Read the status line, then never again.
      socket.once('data', (chunk) => {
        socket.pause();
        if (!chunk.toString('latin1').startsWith('HTTP/1.1 200')) reject(new Error(`stream refused: ${chunk.toString('latin1').slice(0, 80)}`));
        else resolve(socket);
      });
    });
    socket.on('error', () => {});
  });
}

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

describe('event stream: deltas, caps, rotation and slow readers', () => {
  const suite = serverSuite();

  it('sends the full list once, then only what changed: added, changed, live counts, removed, event fields', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    const mod = event.tokens.moderate;
    const other = await api<SessionDto>(suite.server.url, 'POST', `/api/events/${event.event.id}/sessions`, { token: mod, body: { title: 'Other room' } });
    const stream = await readSse(streamUrl(suite.server, event.event.id), event.tokens.view);
    await waitFor(() => stream.view() !== null, 5000, 'snapshot');
    expect(stream.events[0]!.event).toBe('snapshot');
    expect(stream.view()!.sessions.map((s) => s.id).sort()).toEqual([session.id, other.body.id].sort());

    // One session patched: one delta carrying that session alone.
    let from = stream.events.length;
    expect((await api(suite.server.url, 'PATCH', `/api/sessions/${session.id}`, { token: mod, body: { nowDiscussing: 'Quota defaults' } })).status).toBe(200);
    await waitFor(() => stream.view()!.sessions.find((s) => s.id === session.id)!.nowDiscussing === 'Quota defaults', 5000, 'patch delta');
    const patched = messagesAfter(stream, from);
    expect(patched.map((m) => m.type)).toEqual(['sessionChanged']);
    expect(patched[0]).toMatchObject({ type: 'sessionChanged', session: { id: session.id, nowDiscussing: 'Quota defaults' } });

    // A note-taker joins: only that session's live counts travel.
    from = stream.events.length;
    const writer = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    suite.clients.push(writer);
    await waitForSync(writer);
    await waitFor(() => stream.view()!.sessions.find((s) => s.id === session.id)!.live.editors === 1, 5000, 'live delta');
    expect(messagesAfter(stream, from)).toContainEqual({ type: 'live', sessionId: session.id, live: { editors: 1, viewers: 0 } });
    expect(messagesAfter(stream, from).some((m) => m.type === 'snapshot' || m.type === 'sessionChanged')).toBe(false);

    // Added, removed, and the event's own fields.
    from = stream.events.length;
    const added = await api<SessionDto>(suite.server.url, 'POST', `/api/events/${event.event.id}/sessions`, { token: mod, body: { title: 'Late addition' } });
    await waitFor(() => stream.view()!.sessions.some((s) => s.id === added.body.id), 5000, 'added delta');
    expect(messagesAfter(stream, from).map((m) => m.type)).toEqual(['sessionAdded']);
    from = stream.events.length;
    expect((await api(suite.server.url, 'DELETE', `/api/sessions/${other.body.id}`, { token: mod })).status).toBeLessThan(300);
    await waitFor(() => !stream.view()!.sessions.some((s) => s.id === other.body.id), 5000, 'removed delta');
    expect(messagesAfter(stream, from)).toEqual([{ type: 'sessionRemoved', sessionId: other.body.id }]);
    from = stream.events.length;
    await apiClient(suite.server.url, mod).patchEvent(event.event.id, { title: 'Renamed' });
    await waitFor(() => stream.view()!.event.title === 'Renamed', 5000, 'event delta');
    expect(messagesAfter(stream, from)).toEqual([{ type: 'eventChanged', event: { title: 'Renamed', timezone: 'America/Chicago', language: 'en' } }]);

    // What the client shows equals what the API says, in the API's order.
    const rest = await api<EventWithSessionsDto>(suite.server.url, 'GET', `/api/events/${event.event.id}`, { token: event.tokens.view });
    expect(stream.view()!.sessions).toEqual(rest.body.sessions);
    stream.close();
  });

  it('caps open streams per link and per address with a 429 that says which, and frees a slot when a stream closes', async () => {
    suite.server = await startTestServer({ streamLimits: { maxStreamsPerToken: 3, maxStreamsPerAddress: 5 } });
    const { event } = await createEventWithSession(suite.server.url);
    const url = streamUrl(suite.server, event.event.id);
    const views = await Promise.all([1, 2, 3].map(() => readSse(url, event.tokens.view)));
    const refused = await api<{ error: { code: string; message: string; params: Record<string, unknown> } }>(suite.server.url, 'GET', `/api/events/${event.event.id}/stream`, { token: event.tokens.view });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('too_many_streams');
    expect(refused.body.error.params).toEqual({ per: 'link', max: 3 });

    // Another link from the same address, up to the address's cap.
    const edits = await Promise.all([1, 2].map(() => readSse(url, event.tokens.edit)));
    const byAddress = await api<{ error: { code: string; message: string; params: Record<string, unknown> } }>(suite.server.url, 'GET', `/api/events/${event.event.id}/stream`, { token: event.tokens.moderate });
    expect(byAddress.status).toBe(429);
    expect(byAddress.body.error.params).toEqual({ per: 'address', max: 5 });

    views[0]!.close();
    await waitFor(() => suite.server!.stream.stats().streams === 4, 5000, 'closed stream released');
    const again = await readSse(url, event.tokens.view);
    await waitFor(() => again.view() !== null, 5000, 'a freed slot is usable');
    for (const r of [...views, ...edits, again]) r.close();
  });

  it('rotating a link ends the streams opened with the old token at once; they hear nothing after, other links keep theirs', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    const url = streamUrl(suite.server, event.event.id);
    const oldView = await readSse(url, event.tokens.view);
    const edit = await readSse(url, event.tokens.edit);
    await waitFor(() => oldView.view() !== null && edit.view() !== null, 5000, 'snapshots');

    const rotated = await api<{ token: string }>(suite.server.url, 'POST', `/api/events/${event.event.id}/links/view/rotate`, { token: event.tokens.moderate });
    expect(rotated.status).toBe(200);
    await waitFor(() => oldView.ended(), 5000, 'old stream ended');
    expect(oldView.events.at(-1)!.data).toEqual({ type: 'revoked' });
    const heardByOld = oldView.events.length;

    await apiClient(suite.server.url, event.tokens.moderate).patchEvent(event.event.id, { title: 'Secret new title' });
    await apiClient(suite.server.url, event.tokens.moderate).patchSession(session.id, { nowDiscussing: 'Secret topic' });
    // Barrier: the edit link's stream has both changes, so they were broadcast.
    await waitFor(() => edit.view()!.event.title === 'Secret new title' && edit.view()!.sessions[0]!.nowDiscussing === 'Secret topic', 5000, 'edit stream hears the changes');
    expect(oldView.events.length).toBe(heardByOld);
    expect(JSON.stringify(oldView.events)).not.toMatch(/Secret/);

    expect((await fetch(url, { headers: { authorization: `Bearer ${event.tokens.view}` } })).status).toBe(401);
    const newView = await readSse(url, rotated.body.token);
    await waitFor(() => newView.view()?.event.title === 'Secret new title', 5000, 'the new link streams');
    expect(suite.server.stream.stats().streams).toBe(2);
    for (const r of [edit, newView]) r.close();
  });

  it('a rotation is announced to streams of moderate links only, by role and without any token; other links hear nothing of it', async () => {
    suite.server = await startTestServer();
    const { event } = await createEventWithSession(suite.server.url);
    const url = streamUrl(suite.server, event.event.id);
    const mod = await readSse(url, event.tokens.moderate);
    const edit = await readSse(url, event.tokens.edit);
    const view = await readSse(url, event.tokens.view);
    await waitFor(() => mod.view() !== null && edit.view() !== null && view.view() !== null, 5000, 'snapshots');

    const rotated = await api<{ token: string }>(suite.server.url, 'POST', `/api/events/${event.event.id}/links/edit/rotate`, { token: event.tokens.moderate });
    expect(rotated.status).toBe(200);
    await waitFor(() => mod.events.some((e) => (e.data as EventStreamMessage).type === 'linksRotated'), 5000, 'moderator hears of the rotation');
    expect(mod.events.map((e) => e.data).filter((m) => (m as EventStreamMessage).type === 'linksRotated')).toEqual([{ type: 'linksRotated', role: 'edit' }]);
    expect(JSON.stringify(mod.events)).not.toContain(rotated.body.token);
    // The old edit link's stream ends (revoked); the view link's stream hears nothing of links.
    await waitFor(() => edit.ended(), 5000, 'old edit stream ended');
    expect(edit.events.map((e) => (e.data as EventStreamMessage).type)).not.toContain('linksRotated');
    // Barrier: a later change reaches the view stream, so the rotation would have too.
    await apiClient(suite.server.url, event.tokens.moderate).patchEvent(event.event.id, { title: 'After rotation' });
    await waitFor(() => view.view()!.event.title === 'After rotation', 5000, 'view stream hears later changes');
    expect(view.events.map((e) => (e.data as EventStreamMessage).type)).not.toContain('linksRotated');
    expect(mod.ended()).toBe(false);

    // Rotating the moderate link itself ends the moderator's stream with `revoked`: nothing else goes to it.
    await api(suite.server.url, 'POST', `/api/events/${event.event.id}/links/moderate/rotate`, { token: event.tokens.moderate });
    await waitFor(() => mod.ended(), 5000, 'old moderate stream ended');
    expect(mod.events.at(-1)!.data).toEqual({ type: 'revoked' });
    for (const r of [mod, view]) r.close();
  });

  it('closes never-reading streams on a 500-session event while many changes flow, and keeps unsent bytes bounded', async () => {
    suite.server = await startTestServer();
    const s = suite.server;
    const ev = (await apiClient(s.url).createEvent({ title: 'Five hundred sessions', timezone: 'Asia/Tokyo' }));
    const mod = ev.tokens.moderate;
    const ids: string[] = [];
    await inBatches(
      Array.from({ length: 500 }, (_, i) => i),
      25,
      async (i) => {
        const res = await api<SessionDto>(s.url, 'POST', `/api/events/${ev.event.id}/sessions`, {
          token: mod,
          body: { title: `Session ${i}`, rooms: [`Room ${i % 4}`], startsAt: new Date(Date.UTC(2026, 4, 1 + Math.floor(i / 40), 9 + (i % 10))).toISOString(), tags: ['ops'] },
        });
        expect(res.status).toBe(201);
        ids.push(res.body.id);
      },
    );

    const SLOW = 5;
    const slow = await Promise.all(Array.from({ length: SLOW }, () => neverReadingStream(s, ev.event.id, ev.tokens.view)));
    const reader = await readSse(streamUrl(s, ev.event.id), ev.tokens.edit);
    await waitFor(() => reader.view()?.sessions.length === 500, 10_000, 'the reader’s snapshot');
    expect(s.stream.stats().streams).toBe(SLOW + 1);

    // Each change carries one session with a long Japanese description (~30 KB of JSON): ~21 MB per stream in all,
    // far more than the kernel's socket buffers take, so unsent bytes pile up in the server unless it acts.
    const PATCHES = 700;
    let maxBuffered = 0;
    await inBatches(
      Array.from({ length: PATCHES }, (_, i) => i),
      10,
      async (i) => {
        const res = await api(s.url, 'PATCH', `/api/sessions/${ids[i % ids.length]}`, { token: mod, body: { description: `${i} ${'議事録'.repeat(3300)}` } });
        expect(res.status).toBe(200);
        maxBuffered = Math.max(maxBuffered, s.stream.stats().bufferedBytes);
      },
    );
    const last = await api(s.url, 'PATCH', `/api/sessions/${ids[0]}`, { token: mod, body: { nowDiscussing: 'the end' } });
    expect(last.status).toBe(200);
    await waitFor(() => reader.view()!.sessions.find((x) => x.id === ids[0])!.nowDiscussing === 'the end', 15_000, 'the reader keeps up');
    maxBuffered = Math.max(maxBuffered, s.stream.stats().bufferedBytes);

    const stats = s.stream.stats();
    expect(stats.closedSlow).toBeGreaterThanOrEqual(SLOW);
    expect(stats.streams).toBe(1);
    // Per slow stream at most the 1 MiB bound plus one message (one debounced batch of changes) was ever held.
    expect(maxBuffered).toBeLessThan(SLOW * 3 * 1024 * 1024);
    // The reader that kept up was never cut off and ends exactly where the API is.
    expect(reader.ended()).toBe(false);
    const rest = await api<EventWithSessionsDto>(s.url, 'GET', `/api/events/${ev.event.id}`, { token: ev.tokens.view });
    expect(reader.view()!.sessions).toEqual(rest.body.sessions);
    // The full list went out once (the snapshot); every change after it was a delta.
    expect(reader.events.filter((e) => e.event === 'snapshot')).toHaveLength(1);
    reader.close();
    for (const socket of slow) socket.destroy();
  }, 120_000);
});
