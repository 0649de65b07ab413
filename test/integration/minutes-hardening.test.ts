import mammoth from 'mammoth';
import { strFromU8, unzipSync } from 'fflate';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { FLATTENED_MARKER } from '../../shared/minutes/notes.js';
import type { CreateEventResponse, SessionDto } from '../../shared/schemas.js';
import { createSqliteDocStore } from '../../server/storage/docStore.js';
import { openDatabase } from '../../server/storage/database.js';
import { deepDocState } from '../fixtures/minutes/deepDoc.js';
import { writeBigNotes } from '../helpers/bigNotes.js';
import { apiClient, api, download, serverSuite, startTestServer, type TestServer } from '../helpers/testServer.js';
import { connectClient, waitFor, waitForSync } from '../helpers/yClient.js';

const SESSION_FORMATS = ['md', 'html', 'txt', 'json', 'docx', 'pdf'] as const;
const EVENT_FORMATS = [...SESSION_FORMATS, 'zip'] as const;

/** The text a reader of the file sees, whatever its format. */
async function readable(format: string, bytes: Buffer): Promise<string> {
  if (format === 'pdf') return (await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })).text;
  if (format === 'docx') return (await mammoth.extractRawText({ buffer: bytes })).value;
  if (format === 'zip') return Object.values(unzipSync(new Uint8Array(bytes))).map((f) => strFromU8(f)).join('\n');
  return bytes.toString('utf8');
}

async function newEvent(s: TestServer, title: string): Promise<{ ev: CreateEventResponse; session: SessionDto }> {
  const ev = (await apiClient(s.url).createEvent({ title, timezone: 'Asia/Tokyo' }));
  const session = await api<SessionDto>(s.url, 'POST', `/api/events/${ev.event.id}/sessions`, { token: ev.tokens.moderate, body: { title: 'Deep or long', startsAt: '2026-05-01T01:00:00Z' } });
  expect(session.status).toBe(201);
  return { ev, session: session.body };
}

describe('minutes of hostile and huge documents', () => {
  const suite = serverSuite();

  for (const depth of [3_000, 10_000]) {
    it(`a stored document ${depth.toLocaleString('en')} levels deep exports in every format, session and event, flattened below the limit`, async () => {
      suite.server = await startTestServer();
      const { ev, session } = await newEvent(suite.server, `Deep ${depth}`);
      const { dataDir } = suite.server;
      // Straight into storage, as a document stored before the validator bounded depth would be.
      await suite.server.close();
      const db = openDatabase(dataDir);
      await createSqliteDocStore(db).append([{ docId: session.id, update: deepDocState(depth, depth === 3_000 ? 'mixed' : 'quotes') }]);
      db.close();
      suite.server = await startTestServer({ dataDir });

      for (const format of SESSION_FORMATS) {
        const res = await download(suite.server.url, `/api/sessions/${session.id}/minutes?format=${format}`, ev.tokens.view);
        expect(res.status, `session ${format}: ${res.text.slice(0, 200)}`).toBe(200);
        const text = await readable(format, res.bytes);
        for (const expected of ['Above the tower', 'The bottom of the tower', 'After the tower']) expect(text, `session ${format}`).toContain(expected);
        // Read as prose: quote markers at line starts gone, Markdown's escapes undone, lines joined.
        const prose = text.replace(/^[>\s]*/gm, '').replace(/\\([[\]])/g, '$1').replace(/\s+/g, ' ');
        expect(prose, `session ${format}`).toContain(FLATTENED_MARKER);
      }
      for (const format of EVENT_FORMATS) {
        const res = await download(suite.server.url, `/api/events/${ev.event.id}/minutes?format=${format}`, ev.tokens.view);
        expect(res.status, `event ${format}: ${res.text.slice(0, 200)}`).toBe(200);
        expect(await readable(format, res.bytes), `event ${format}`).toContain('The bottom of the tower');
      }
      // With the room loaded (the tagger walks it, the export reads the live copy), and after it unloads again.
      const reader = connectClient(suite.server.wsUrl, session.id, ev.tokens.view);
      suite.clients.push(reader);
      await waitForSync(reader, 30_000);
      const live = await download(suite.server.url, `/api/sessions/${session.id}/minutes?format=md`, ev.tokens.view);
      expect(live.status).toBe(200);
      expect(live.text).toContain('The bottom of the tower');
      reader.destroy();
      await waitFor(() => suite.server!.registry.get(session.id) === undefined, 30_000, 'the room unloads');
      expect((await fetch(`${suite.server.url}/healthz`)).status).toBe(200);
      expect((await download(suite.server.url, `/api/sessions/${session.id}/minutes?format=txt`, ev.tokens.view)).status).toBe(200);
    }, 180_000);
  }

  it('an 11 MB session written through a real client exports in every format, each rendered by the worker pool', async () => {
    suite.server = await startTestServer({ taggerDebounceMs: 50 });
    const { ev, session } = await newEvent(suite.server, 'Eleven megabytes');
    const big = await writeBigNotes(suite.server.wsUrl, session.id, ev.tokens.edit, 11 * 1024 * 1024);
    suite.clients.push(...big.clients);
    const before = suite.server.minutes.stats().renderedInWorkers;
    for (const format of SESSION_FORMATS) {
      const res = await download(suite.server.url, `/api/sessions/${session.id}/minutes?format=${format}`, ev.tokens.view);
      expect(res.status, `${format}: ${res.text.slice(0, 300)}`).toBe(200);
      if (format === 'pdf') expect(res.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      else if (format === 'docx') expect(res.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
      else {
        expect(res.bytes.byteLength, format).toBeGreaterThan(10 * 1024 * 1024);
        // The last paragraph is there: nothing was cut.
        expect(res.text, format).toContain(big.lastText.slice(0, 40));
      }
      if (format === 'txt') expect(res.text.split('\n').every((line) => line.length <= 200), 'txt lines are wrapped').toBe(true);
    }
    expect(suite.server.minutes.stats().renderedInWorkers - before).toBe(SESSION_FORMATS.length);
  }, 300_000);

  it('refuses an export over the size limit with 413 and a message, and keeps serving smaller ones', async () => {
    suite.server = await startTestServer({ exportLimits: { maxInputBytes: 64 * 1024 } });
    const { ev, session } = await newEvent(suite.server, 'Limits');
    const big = await writeBigNotes(suite.server.wsUrl, session.id, ev.tokens.edit, 200 * 1024);
    suite.clients.push(...big.clients);
    const refused = await api<{ error: { code: string; message: string } }>(suite.server.url, 'GET', `/api/sessions/${session.id}/minutes?format=md`, { token: ev.tokens.view });
    expect(refused.status).toBe(413);
    expect(refused.body.error.code).toBe('export_too_large');
    expect(refused.body.error).toMatchObject({ params: { maxMiB: 0 }, message: expect.stringMatching(/too large to export/) });
    const small = await api<SessionDto>(suite.server.url, 'POST', `/api/events/${ev.event.id}/sessions`, { token: ev.tokens.moderate, body: { title: 'Small' } });
    expect((await download(suite.server.url, `/api/sessions/${small.body.id}/minutes?format=md`, ev.tokens.view)).status).toBe(200);
  }, 120_000);
});
