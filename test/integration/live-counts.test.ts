import { describe, expect, it } from 'vitest';
import type { EventWithSessionsDto, SessionDto } from '../../shared/schemas.js';
import { api, createEventWithSession, startTestServer, serverSuite } from '../helpers/testServer.js';
import { readSse } from '../helpers/sse.js';
import { appendParagraph, connectClient, waitFor, waitForSync } from '../helpers/yClient.js';

describe('live counts on the event page', () => {
  const suite = serverSuite();

  it('rise when two clients join a session and fall when they leave, in the API and on the push stream', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    const stream = await readSse(`${suite.server.url}/api/events/${event.event.id}/stream`, event.tokens.view);
    // The stream sends the list once, then deltas: what a client shows is the snapshot with every delta applied.
    const lastLive = () => stream.view()?.sessions.find((s) => s.id === session.id)?.live;
    await waitFor(() => lastLive() !== undefined, 5000, 'initial snapshot');
    expect(lastLive()).toEqual({ editors: 0, viewers: 0 });

    const a = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    const b = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    await Promise.all([waitForSync(a), waitForSync(b)]);
    await waitFor(() => lastLive()?.editors === 1 && lastLive()?.viewers === 1, 5000, 'counts rise on the stream');
    const viaApi = await api<EventWithSessionsDto>(suite.server.url, 'GET', `/api/events/${event.event.slug}`, { token: event.tokens.view });
    expect(viaApi.body.sessions[0]!.live).toEqual({ editors: 1, viewers: 1 });

    a.destroy();
    b.destroy();
    await waitFor(() => lastLive()?.editors === 0 && lastLive()?.viewers === 0, 5000, 'counts fall on the stream');
    stream.close();
  });

  it('counts two note-takers in one session separately from a reader elsewhere, one by one as they leave', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    const other = await api<SessionDto>(suite.server.url, 'POST', `/api/events/${event.event.id}/sessions`, { token: event.tokens.moderate, body: { title: 'Other room' } });
    const stream = await readSse(`${suite.server.url}/api/events/${event.event.id}/stream`, event.tokens.view);
    const liveOf = (id: string) => stream.view()?.sessions.find((s) => s.id === id)?.live;
    const ana = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    const ben = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    const projector = connectClient(suite.server.wsUrl, other.body.id, event.tokens.view);
    await Promise.all([waitForSync(ana), waitForSync(ben), waitForSync(projector)]);
    await waitFor(() => liveOf(session.id)?.editors === 2 && liveOf(other.body.id)?.viewers === 1, 10_000, 'two editors and a reader elsewhere');
    expect(liveOf(session.id)).toEqual({ editors: 2, viewers: 0 });
    expect(liveOf(other.body.id)).toEqual({ editors: 0, viewers: 1 });

    ana.destroy();
    await waitFor(() => liveOf(session.id)?.editors === 1, 10_000, 'one editor left');
    ben.destroy();
    await waitFor(() => liveOf(session.id)?.editors === 0, 10_000, 'no editor left');
    expect(liveOf(other.body.id)).toEqual({ editors: 0, viewers: 1 });
    projector.destroy();
    await waitFor(() => liveOf(other.body.id)?.viewers === 0, 10_000, 'reader left');
    stream.close();
  });

  it('pushes the first stored note of the day (for "notes today") without waiting for someone to come or go', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    const stream = await readSse(`${suite.server.url}/api/events/${event.event.id}/stream`, event.tokens.view);
    const latest = () => stream.view()?.sessions.find((s) => s.id === session.id);
    const writer = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    await waitForSync(writer);
    await waitFor(() => latest()?.live.editors === 1, 10_000, 'the writer is counted');
    expect(latest()!.notesUpdatedAt).toBeNull();
    const snapshots = stream.events.length;

    appendParagraph(writer.doc, 'First note of the day');
    await waitFor(() => latest()?.notesUpdatedAt !== null, 10_000, 'notes today on the stream');
    expect(latest()!.live.editors).toBe(1);
    expect(stream.events.length).toBeGreaterThan(snapshots);
    writer.destroy();
    stream.close();
  });

  it('the stream needs a valid token', async () => {
    suite.server = await startTestServer();
    const { event } = await createEventWithSession(suite.server.url);
    const res = await fetch(`${suite.server.url}/api/events/${event.event.id}/stream`);
    expect(res.status).toBe(401);
  });
  it('pushes a moderator’s change of the event title and time zone to open pages', async () => {
    suite.server = await startTestServer();
    const { event } = await createEventWithSession(suite.server.url);
    const stream = await readSse(`${suite.server.url}/api/events/${event.event.id}/stream`, event.tokens.view);
    const lastEvent = () => stream.view()?.event;
    await waitFor(() => lastEvent()?.title === 'Test event', 5000, 'initial snapshot carries the event');
    const patched = await api(suite.server.url, 'PATCH', `/api/events/${event.event.id}`, { token: event.tokens.moderate, body: { title: 'Ops Meetup — Tokyo', timezone: 'Asia/Tokyo' } });
    expect(patched.status).toBe(200);
    await waitFor(() => lastEvent()?.title === 'Ops Meetup — Tokyo' && lastEvent()?.timezone === 'Asia/Tokyo', 5000, 'rename pushed');
    stream.close();
  });
});
