import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import { AckingWriter } from '../helpers/ackingWriter.js';
import { parsePromText, sampleValue, type PromFamily } from '../helpers/promText.js';
import { api, createEventWithSession, serverSuite, startTestServer } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';

async function scrape(url: string, token?: string): Promise<Map<string, PromFamily>> {
  const res = await fetch(`${url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePromText(await res.text());
}

describe('the strict text-format check used below', () => {
  it('accepts a well-formed exposition and refuses malformed ones, naming the line', () => {
    const ok = '# HELP a_total A.\n# TYPE a_total counter\na_total{x="q\\"uote"} 3\n# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 3.5\nh_count 2\n';
    expect(sampleValue(parsePromText(ok), 'a_total', { x: 'q"uote' })).toBe(3);
    const bad: [string, RegExp][] = [
      ['a_total 3\n', /before \(or without\) its TYPE/],
      ['# TYPE a counter\na{x="1"} 1\na{x="1"} 2\n', /twice/],
      ['# TYPE a counter\na{x=1} 1\n', /not quoted/],
      ['# TYPE a counter\na one\n', /not a sample value/],
      ['# TYPE a wobble\n', /unknown type/],
      ['# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_count 1\n', /not cumulative/],
      ['# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_count 3\n', /differs/],
      ['# TYPE a gauge\n# TYPE b gauge\nb 1\na 1\n', /not together/],
      ['# TYPE a gauge\na 1', /end with a newline/],
    ];
    for (const [text, why] of bad) expect(() => parsePromText(text), text).toThrow(why);
  });
});

describe('GET /metrics', () => {
  const suite = serverSuite();

  it('parses strictly, moves when real clients type, and no label (nor anything else) holds a token, a title, a name or an id', async () => {
    const unique = randomBytes(6).toString('hex');
    const title = `Metrics secret title ${unique}`;
    const personName = `Person-${unique}`;
    const server = (suite.server = await startTestServer({ taggerDebounceMs: 50 }));
    const { event, session } = await createEventWithSession(server.url, title);
    const before = await scrape(server.url);
    expect(sampleValue(before, 'roundtable_updates_total')).toBe(0);
    // Node's default metrics come along.
    for (const name of ['process_cpu_user_seconds_total', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) expect(before.has(name), name).toBe(true);

    const ana = connectClient(server.wsUrl, session.id, event.tokens.edit);
    suite.clients.push(ana);
    ana.provider.awareness.setLocalStateField('user', { name: personName, color: '#123456' });
    const reader = connectClient(server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(reader);
    await Promise.all([waitForSync(ana), waitForSync(reader)]);
    appendParagraph(ana.doc, `ana writes ${unique}`);
    appendParagraph(ana.doc, `ACTION: @${personName} send the summary ##ops-${unique}`);
    const writer = await AckingWriter.open(server.wsUrl, session.id, event.tokens.edit);
    for (let i = 0; i < 5; i++) writer.write(`acked line ${i}`);
    await waitFor(() => writer.acked === 5, 10_000, 'acknowledgements');
    await waitFor(() => notesText(reader.doc).includes(`ana writes ${unique}`), 10_000, 'the reader to see it');
    // A view link that writes is refused (4403).
    const intruder = await AckingWriter.open(server.wsUrl, session.id, event.tokens.view);
    intruder.write('not allowed');
    expect((await intruder.closed).code).toBe(CLOSE_CODES.forbiddenWrite);
    await expect.poll(async () => (await server.storage.actionItems.listBySession(session.id)).length, { timeout: 10_000 }).toBe(1);
    const exported = await fetch(`${server.url}/api/sessions/${session.id}/minutes?format=md`, { headers: { authorization: `Bearer ${event.tokens.view}` } });
    expect(exported.status).toBe(200);
    await api(server.url, 'GET', `/api/events/${event.event.id}/calendar.ics?k=${event.tokens.view}`);

    const res = await fetch(`${server.url}/metrics`);
    const text = await res.text();
    const after = parsePromText(text);
    expect(sampleValue(after, 'roundtable_updates_total')).toBeGreaterThanOrEqual(7);
    expect(sampleValue(after, 'roundtable_update_bytes_total')).toBeGreaterThan(0);
    expect(sampleValue(after, 'roundtable_rooms_open')).toBe(1);
    expect(sampleValue(after, 'roundtable_connections', { role: 'edit' })).toBe(2);
    expect(sampleValue(after, 'roundtable_connections', { role: 'view' })).toBe(1);
    expect(sampleValue(after, 'roundtable_connections', { role: 'moderate' })).toBe(0);
    expect(sampleValue(after, 'roundtable_writers')).toBe(2);
    expect(sampleValue(after, 'roundtable_readers')).toBe(1);
    expect(sampleValue(after, 'roundtable_broadcast_bytes_total')).toBeGreaterThan(0);
    expect(sampleValue(after, 'roundtable_commit_seconds_count')).toBeGreaterThan(0);
    expect(sampleValue(after, 'roundtable_commit_batch_updates_sum')).toBeGreaterThanOrEqual(7);
    // Every one of the acking writer's five updates was timed to its acknowledgement.
    expect(sampleValue(after, 'roundtable_ack_seconds_count')).toBeGreaterThanOrEqual(5);
    expect(sampleValue(after, 'roundtable_updates_refused_total', { reason: 'read_only' })).toBe(1);
    expect(sampleValue(after, 'roundtable_updates_refused_total', { reason: 'malformed' })).toBe(0);
    expect(sampleValue(after, 'roundtable_connections_closed_total', { code: '4403' })).toBe(1);
    expect(sampleValue(after, 'roundtable_action_items_tagged_total')).toBe(1);
    expect(sampleValue(after, 'roundtable_exports_total', { format: 'md', outcome: 'ok' })).toBe(1);
    expect(sampleValue(after, 'roundtable_export_seconds_count', { format: 'md' })).toBe(1);
    expect(sampleValue(after, 'roundtable_http_requests_total', { route: '/api/sessions/:sessionId/minutes', status: '200' })).toBe(1);
    expect(sampleValue(after, 'roundtable_http_requests_total', { route: '/api/events/:eventId/calendar.ics', status: '200' })).toBe(1);
    expect(sampleValue(after, 'roundtable_http_requests_total', { route: '/api/events', status: '201' })).toBe(1);
    expect(sampleValue(after, 'roundtable_ready')).toBe(1);

    const secrets = [...Object.values(event.tokens), title, unique, personName, session.id, event.event.id, event.event.slug];
    const labelValues = [...after.values()].flatMap((f) => f.samples.flatMap((s) => Object.values(s.labels)));
    expect(labelValues.length).toBeGreaterThan(20);
    for (const secret of secrets) {
      expect(labelValues.filter((v) => v.includes(secret)), secret).toEqual([]);
      expect(text.includes(secret), `the exposition mentions ${secret}`).toBe(false);
    }
    writer.close();
  });

  it('is per server: two servers in one process never share a metric', async () => {
    const a = (suite.server = await startTestServer());
    const b = await startTestServer();
    try {
      const { event, session } = await createEventWithSession(a.url);
      const writer = await AckingWriter.open(a.wsUrl, session.id, event.tokens.edit);
      writer.write('only on a');
      await waitFor(() => writer.acked === 1, 10_000, 'ack');
      writer.close();
      expect(sampleValue(await scrape(a.url), 'roundtable_updates_total')).toBe(1);
      expect(sampleValue(await scrape(b.url), 'roundtable_updates_total')).toBe(0);
    } finally {
      await b.close();
    }
  });

  it('with METRICS_TOKEN answers 401 without the right bearer', async () => {
    const token = `metrics-${randomBytes(12).toString('hex')}`;
    const server = (suite.server = await startTestServer({ operability: { metricsToken: token } }));
    const none = await fetch(`${server.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.json()).toEqual({ error: { code: 'metrics_token_required', message: 'reading the metrics needs Authorization: Bearer <METRICS_TOKEN>' } });
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}x` } });
    expect(wrong.status).toBe(401);
    expect(sampleValue(await scrape(server.url, token), 'roundtable_rooms_open')).toBe(0);
  });

  it('with METRICS_PORT serves /metrics on that port only', async () => {
    const server = (suite.server = await startTestServer({ operability: { metricsPort: 0 } }));
    const port = server.ops.metricsPort;
    expect(port).toBeGreaterThan(0);
    expect(port).not.toBe(server.port);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(404);
    expect(sampleValue(await scrape(`http://127.0.0.1:${port}`), 'roundtable_ready')).toBe(1);
    // The main port still answers everything else.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
