import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JSONContent } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { NOTES_FRAGMENT } from '../shared/protocol.js';
import type { ActionItemDto, CreateEventResponse, SessionDto } from '../shared/schemas.js';
import { exportEvent } from '../server/cli/exportEvent.js';
import { createNotesSchema } from '../server/notesSchema.js';
import { loadedSchema } from '../server/notesSchemaLoader.js';
import { MinutesSource } from '../server/minutes/minutesSource.js';
import { EVENT_FORMATS, renderEventMinutes } from '../server/minutes/renderMinutes.js';
import { resolveEvent } from '../server/minutes/renderJob.js';
import { createRenderPool } from '../server/minutes/renderPool.js';
import { writeBigNotes } from '../test/helpers/bigNotes.js';
import { notesDocFromText, readFixtureText } from '../test/fixtures/minutes/fixtureNotes.js';
import { api, startTestServer } from '../test/helpers/testServer.js';
import { connectClient, waitForSync } from '../test/helpers/yClient.js';
import { envInt, quantile } from './lib/numbers.js';
import { since, type Bench, type BenchTable } from './table.js';

/**
 * Minutes of a whole event: BENCH_EXPORT_SESSIONS [26] sessions of about
 * BENCH_EXPORT_WORDS [2000] words each (the fixture notes plus generated
 * sections: headings, paragraphs, lists, tasks, action items, some Japanese),
 * written through real y-websocket clients into a real server, so the tagger
 * indexes the action items. Then, per format: rendering the whole event
 * (median of BENCH_EXPORT_RUNS [3]) and the CLI's full export from the SQLite
 * file (event file plus one file per session, written to disk).
 */

const EN = 'operators upgrade nova cells scheduler placement neutron ovs dpdk latency quota keystone federation ceilometer gnocchi metrics rabbitmq database migration rollback canary release packaging ansible kolla containers tripleo monitoring alerting capacity tenants regions availability zones'.split(' ');
const JA = ['運用者の知見を共有する', 'アップグレード手順を確認した', '監視の粒度が課題になっている', '次回までに資料をまとめる'];

/** Deterministic filler so every run measures the same documents. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length + Math.floor((text.match(/[\u3040-\u30ff\u4e00-\u9fff]/g) ?? []).length / 2);
}

function docWords(n: JSONContent): number {
  return n.type === 'text' ? words(n.text ?? '') : (n.content ?? []).reduce((a, c) => a + docWords(c), 0);
}

function sessionNotes(i: number, target: number): JSONContent {
  const random = rng(i + 1);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const sentence = (n: number) => Array.from({ length: n }, () => pick(EN)).join(' ').replace(/^./, (c) => c.toUpperCase()) + '.';
  const p = (text: string): JSONContent => ({ type: 'paragraph', content: [{ type: 'text', text }] });
  const doc = notesDocFromText(readFixtureText(i % 2 ? 'notes-jp-ops-workshop.txt' : 'notes-nfv-telco.txt'));
  let section = 0;
  while (docWords(doc) < target) {
    section++;
    doc.content!.push(
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: `Topic ${section}: ${pick(EN)} ${pick(EN)}` }] },
      p(`${sentence(25)} ${sentence(20)} ${pick(JA)}。`),
      { type: 'bulletList', content: Array.from({ length: 5 }, () => ({ type: 'listItem', content: [p(sentence(12))] })) },
      p(`${sentence(30)} ${sentence(18)}`),
      { type: 'taskList', content: [{ type: 'taskItem', attrs: { checked: random() < 0.3 }, content: [p(`@${pick(['dana', 'chen', 'hana', 'jun'])} ${sentence(8)} ##${pick(['ops-guide', 'telemetry', 'upgrades'])}`)] }] },
      p(`ACTION: @${pick(['emeka', 'farah', 'goro'])} ${sentence(10)} by 2016-05-${String(10 + (section % 18)).padStart(2, '0')}`),
    );
  }
  return doc;
}

async function buildEvent(sessions: number, target: number): Promise<{ dataDir: string; slug: string; totalWords: number; actionItems: number }> {
  const server = await startTestServer({ taggerDebounceMs: 20 });
  try {
    const schema = createNotesSchema();
    const ev = await api<CreateEventResponse>(server.url, 'POST', '/api/events', { body: { title: 'OpenStack Ops Meetup — Austin 2016 (bench)', timezone: 'America/Chicago' } });
    const { event, tokens } = ev.body;
    let totalWords = 0;
    let actionItems = 0;
    for (let i = 0; i < sessions; i++) {
      const start = new Date(Date.UTC(2016, 3, 25 + Math.floor(i / 13), 14 + (Math.floor(i / 4) % 4) * 2)).toISOString();
      const s = await api<SessionDto>(server.url, 'POST', `/api/events/${event.id}/sessions`, { token: tokens.moderate, body: { title: `Session ${i + 1}: ${EN[i % EN.length]}`, rooms: [`Salon ${'ABCD'[i % 4]}`], startsAt: start, moderators: ['bruno'], tags: [EN[(i * 7) % EN.length]!] } });
      const notes = sessionNotes(i, target);
      totalWords += docWords(notes);
      // One note-taker at a time: each stock provider adds a process listener.
      const c = connectClient(server.wsUrl, s.body.id, tokens.edit);
      try {
        c.provider.awareness.setLocalStateField('user', { name: `note-taker ${i % 9}`, color: '#336699' });
        await waitForSync(c, 30_000);
        prosemirrorJSONToYXmlFragment(schema, notes, c.doc.getXmlFragment(NOTES_FRAGMENT));
        // Wait until the live tagger has indexed this session's action items.
        const deadline = Date.now() + 30_000;
        let n = 0;
        while (n === 0 && Date.now() < deadline) {
          n = (await api<{ items: ActionItemDto[] }>(server.url, 'GET', `/api/sessions/${s.body.id}/action-items`, { token: tokens.view })).body.items.length;
          if (n === 0) await new Promise((r) => setTimeout(r, 50));
        }
        actionItems += n;
      } finally {
        c.destroy();
      }
    }
    return { dataDir: server.dataDir, slug: event.slug, totalWords, actionItems };
  } finally {
    await server.close();
  }
}

/** `curl` in a child process: status and size of a download. */
function curl(url: string, token: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code} %{size_download}', '-H', `authorization: Bearer ${token}`, url]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
}

/**
 * One session of about `mb` MB written through a real client, then each
 * format downloaded over HTTP from the server in this process: the longest
 * event-loop gap while the request is served is what note-takers in every
 * other room would feel.
 */
async function bigSessionStalls(mb: number, stall: (work: () => Promise<unknown>) => Promise<[number, number]>): Promise<BenchTable> {
  const server = await startTestServer();
  try {
    const ev = (await api<CreateEventResponse>(server.url, 'POST', '/api/events', { body: { title: 'Big session (bench)', timezone: 'UTC' } })).body;
    const s = await api<SessionDto>(server.url, 'POST', `/api/events/${ev.event.id}/sessions`, { token: ev.tokens.moderate, body: { title: 'All day' } });
    const written = await writeBigNotes(server.wsUrl, s.body.id, ev.tokens.edit, mb * 1024 * 1024);
    for (const c of written.clients) c.destroy();
    // The room's unload (final write and compaction of 11 MB) is not the export's work: let it finish first.
    while (server.registry.get(s.body.id)) await new Promise((r) => setTimeout(r, 50));
    const [idle] = await stall(() => new Promise((r) => setTimeout(r, 2000)));
    const rows: (string | number)[][] = [['(idle, for scale)', '—', 2000, idle, '—']];
    for (const format of ['md', 'html', 'txt', 'json', 'docx', 'pdf'] as const) {
      let status = 0;
      let bytes = 0;
      // curl in another process downloads, so receiving the bytes never counts against this event loop.
      const [worst, total] = await stall(async () => {
        const out = await curl(`${server.url}/api/sessions/${s.body.id}/minutes?format=${format}`, ev.tokens.view);
        [status, bytes] = out.split(' ').map(Number) as [number, number];
      });
      rows.push([format, status, total, worst, bytes]);
    }
    return {
      title: `Export of one ${mb} MB session over HTTP: longest event-loop stall of the server while it is served`,
      columns: ['format', 'status', 'ms', 'longest stall ms', 'bytes'],
      rows,
      notes: [`${written.paragraphs.toLocaleString('en-US')} paragraphs written through a real y-websocket client, downloaded with curl. The first request also starts a worker thread. Before the worker pool (same measurement at the commit before it), md, html and json stalled the loop for as long as they rendered, and txt answered 500.`],
    };
  } finally {
    await server.close();
  }
}

const bench: Bench = {
  name: 'export',
  async run(): Promise<BenchTable[]> {
    const sessions = envInt('BENCH_EXPORT_SESSIONS', 26);
    const target = envInt('BENCH_EXPORT_WORDS', 2000);
    const runs = envInt('BENCH_EXPORT_RUNS', 3);
    const setupStart = performance.now();
    const built = await buildEvent(sessions, target);
    const setupMs = since(setupStart);

    // Gather once, as the HTTP route does, then time each renderer on the same data.
    const { default: Database } = await import('better-sqlite3');
    const { EventRepo } = await import('../server/storage/eventRepo.js');
    const { SessionRepo } = await import('../server/storage/sessionRepo.js');
    const { ActionItemRepo } = await import('../server/storage/actionItemRepo.js');
    const { ContributorRepo } = await import('../server/storage/contributorRepo.js');
    const { createSqliteDocStore } = await import('../server/storage/docStore.js');
    const db = new Database(path.join(built.dataDir, 'roundtable.sqlite'), { readonly: true });
    const events = new EventRepo(db);
    const source = new MinutesSource({ sessions: new SessionRepo(db), contributors: new ContributorRepo(db), actionItems: new ActionItemRepo(db), registry: { get: () => undefined }, docStore: createSqliteDocStore(db), schema: loadedSchema(createNotesSchema()) });
    const gatherTimes: number[] = [];
    const input = await source.eventInput((await events.find(built.slug))!);
    let minutes = await source.event((await events.find(built.slug))!);
    for (let r = 0; r < runs; r++) {
      const t = performance.now();
      minutes = await source.event((await events.find(built.slug))!);
      gatherTimes.push(since(t));
    }
    db.close();

    const render: (string | number)[][] = [['read notes + items from SQLite', quantile(gatherTimes, 0.5), '—']];
    for (const format of EVENT_FORMATS) {
      const times: number[] = [];
      let bytes = 0;
      for (let r = 0; r < runs; r++) {
        const t = performance.now();
        const out = await renderEventMinutes(minutes, format);
        times.push(since(t));
        bytes = typeof out === 'string' ? Buffer.byteLength(out) : out.byteLength;
      }
      render.push([format, quantile(times, 0.5), bytes]);
    }

    // What a live note-taker would feel: the longest gap in the event loop while the export runs.
    const stall = async (work: () => Promise<unknown>): Promise<[number, number]> => {
      let last = performance.now();
      let worst = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        worst = Math.max(worst, now - last);
        last = now;
      }, 1);
      const t = performance.now();
      await work();
      const total = since(t);
      clearInterval(timer);
      return [Math.max(worst, performance.now() - last), total];
    };
    const schema = createNotesSchema();
    const pool = createRenderPool(loadedSchema(schema));
    // Start-up (threads, module loading) is not measured.
    await Promise.all([1, 2].map(() => pool.render({ scope: 'session', format: 'md', minutes: input.sessions[0]! })));
    const stalls: (string | number)[][] = [];
    for (const format of EVENT_FORMATS) {
      // In this thread: reading the notes out of Yjs and rendering, as the server did for md, html, txt and json before.
      const [inStall, inTotal] = await stall(() => renderEventMinutes(resolveEvent(input, schema), format));
      const [wStall, wTotal] = await stall(() => pool.render({ scope: 'event', format, minutes: input }));
      stalls.push([format, inTotal, inStall, wTotal, wStall]);
    }
    await pool.close();
    const big = await bigSessionStalls(envInt('BENCH_EXPORT_BIG_MB', 11), stall);

    const cli: (string | number)[][] = [];
    for (const format of EVENT_FORMATS) {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-bench-export-'));
      const t = performance.now();
      const result = await exportEvent({ dataDir: built.dataDir, event: built.slug, format, outDir: out });
      const ms = since(t);
      const bytes = result.files.reduce((a, f) => a + fs.statSync(f).size, 0);
      cli.push([format, ms, result.files.length, bytes]);
      fs.rmSync(out, { recursive: true, force: true });
    }
    fs.rmSync(built.dataDir, { recursive: true, force: true });

    const setupNote = `Event: ${sessions} sessions, ${built.totalWords.toLocaleString('en-US')} words in all (${Math.round(built.totalWords / sessions).toLocaleString('en-US')} per session), ${built.actionItems} action items indexed by the live tagger; setup through real y-websocket clients took ${(setupMs / 1000).toFixed(1)} s. Machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}.`;
    return [
      {
        title: `Rendering the minutes of a ${sessions}-session event, per format (median of ${runs})`,
        columns: ['format', 'ms', 'output bytes'],
        rows: render,
        notes: [setupNote, 'Rendering is a pure function of the gathered data; the first row is the gathering (Yjs state → ProseMirror JSON through the editor schema, action items, note-takers).'],
      },
      {
        title: 'Longest event-loop stall while the whole event renders (what live editing on the same server would feel)',
        columns: ['format', 'in process: ms', 'in process: longest stall ms', 'worker pool: ms', 'worker pool: longest stall ms'],
        rows: stalls,
        notes: ['The server renders every format in the worker pool; the main thread only copies the notes\' Yjs state in and the bytes out. "In process" is reading the notes and rendering on the event loop, which is what the server did for md, html, txt and json before.'],
      },
      big,
      {
        title: 'npm run export: whole event from DATA_DIR (event file + one file per session, written to disk; zip: one archive)',
        columns: ['format', 'ms', 'files', 'bytes written'],
        rows: cli,
        notes: ['One run each, including opening SQLite read-only, reading every document and writing the files.'],
      },
    ];
  },
};

export default bench;
