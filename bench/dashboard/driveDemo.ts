import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRoundtableServer } from '../../server/createServer.js';
import { createLogger } from '../../server/logger.js';
import type { CreateEventResponse, EventWithSessionsDto } from '../../shared/schemas.js';
import { AckingWriter } from '../../test/helpers/ackingWriter.js';
import { connectBenchClient, connectMany, type BenchClient } from '../lib/clients.js';
import { Typist } from '../lib/keystrokes.js';

/**
 * Runs Roundtable with the demo event on a fixed port and drives it with the
 * bench's real y-websocket clients for a few minutes, shaped like an event:
 * two note-takers and five readers in each of the 26 sessions, a plenary that
 * brings 200 more readers into one session for a minute, minutes exports,
 * action items typed, a view link that tries to write, the schedule page
 * polling. Scheduled backups run every minute. Used to render the dashboard
 * in docs/ from real data (bench/dashboard/renderDashboard.ts).
 *
 * Usage: tsx bench/dashboard/driveDemo.ts --port 3901 --minutes 6
 */
const { values } = parseArgs({ options: { port: { type: 'string', default: '3901' }, minutes: { type: 'string', default: '6' } } });
const port = Number(values.port);
const minutes = Number(values.minutes);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-dashboard-'));
let demo: CreateEventResponse | null = null;
const server = await createRoundtableServer({
  dataDir,
  port,
  log: createLogger('warn'),
  demo: true,
  onDemoCreated: (c) => (demo = c),
  operability: { backup: { everyMs: 60_000, dir: path.join(dataDir, 'backups'), keep: 5 } },
});
if (!demo) throw new Error('no demo event');
const ev = demo as CreateEventResponse;
const get = async <T>(p: string, token = ev.tokens.view): Promise<T> => (await (await fetch(server.url + p, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
const sessions = (await get<EventWithSessionsDto>(`/api/events/${ev.event.id}`)).sessions;
const serverUrl = `ws://127.0.0.1:${port}/collab`;
const room = (id: string) => ({ name: id, writeParams: { token: ev.tokens.edit }, readParams: { token: ev.tokens.view } });
const clients: BenchClient[] = [];
const timers: NodeJS.Timeout[] = [];
const every = (ms: number, fn: () => void) => timers.push(setInterval(fn, ms));

const typists: Typist[] = [];
await connectMany(clients, sessions.length * 2, (i) => {
  const c = connectBenchClient({ protocol: 'y-websocket', serverUrl, room: room(sessions[i >> 1]!.id), role: 'write', userName: `Note-taker ${i}` });
  typists.push(new Typist(c.doc));
  return c;
});
for (const t of typists) t.createParagraph();
await connectMany(clients, sessions.length * 5, (i) => connectBenchClient({ protocol: 'y-websocket', serverUrl, room: room(sessions[i % sessions.length]!.id), role: 'read' }));
// Editors that count acknowledgements, as Roundtable's own editor does.
const ackers = await Promise.all(sessions.slice(0, 6).map((s) => AckingWriter.open(serverUrl, s.id, ev.tokens.edit)));

every(500, () => {
  for (const t of typists) if (Math.random() < 0.9) t.type(Math.random() < 0.15 ? ' ' : 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]!);
});
let line = 0;
every(1_000, () => ackers.forEach((a) => a.write(`acked line ${line++}`)));
every(20_000, () => ackers[line % ackers.length]!.write(`ACTION: @note-taker-${line % 7} follow up ${line} ##ops`));
every(5_000, () => void get(`/api/events/${ev.event.id}`));
const formats = ['md', 'html', 'pdf', 'docx', 'txt', 'json'];
let exportsDone = 0;
every(12_000, () => void fetch(`${server.url}/api/sessions/${sessions[exportsDone % sessions.length]!.id}/minutes?format=${formats[exportsDone++ % formats.length]}`, { headers: { authorization: `Bearer ${ev.tokens.view}` } }).then((r) => r.arrayBuffer()));
every(30_000, () => {
  void AckingWriter.open(serverUrl, sessions[0]!.id, ev.tokens.view).then((w) => w.write('a reader tries to write'));
});
every(25_000, () => void fetch(`${server.url}/api/events/${ev.event.id}`, { headers: { authorization: 'Bearer wrong-token' } }));

const plenaryAt = minutes * 60_000 * 0.4;
setTimeout(() => {
  const plenary: BenchClient[] = [];
  void connectMany(plenary, 200, () => connectBenchClient({ protocol: 'y-websocket', serverUrl, room: room(sessions[0]!.id), role: 'read' })).then(() =>
    setTimeout(() => plenary.forEach((c) => c.destroy()), 60_000),
  );
}, plenaryAt);

console.info(`driving ${server.url} for ${minutes} min: ${typists.length} note-takers, ${sessions.length * 5} readers, a plenary of 200 at ${Math.round(plenaryAt / 1000)} s`);
await new Promise((r) => setTimeout(r, minutes * 60_000));
for (const t of timers) clearInterval(t);
for (const c of clients) c.destroy();
for (const a of ackers) a.close();
await server.close();
fs.rmSync(dataDir, { recursive: true, force: true });
console.info('done');
