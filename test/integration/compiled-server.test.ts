import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmStartCommand } from '../../scripts/npmStart.mjs';
import { buildServer, serverBuildIsStale, SERVER_OUT } from '../../scripts/serverBuild.mjs';
import { apiClient, createEventWithSession, tempDataDir } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `npm start` exactly (package.json's environment, node flags and launcher), which runs dist-server's JavaScript (building it only when stale). */
function startCompiled(dataDir: string): Promise<{ child: ChildProcess; url: string; wsUrl: string; output(): string }> {
  const { env, nodeFlags, launcher } = npmStartCommand(root);
  // Plus a module-load log (test/helpers/editorModuleLog.mjs): the only flag npm start does not pass.
  const child = spawn(process.execPath, [...nodeFlags, '--import', pathToFileURL(path.join(root, 'test/helpers/editorModuleLog.mjs')).href, launcher], {
    cwd: root,
    env: { ...process.env, ...env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ROUNDTABLE_DEMO: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const collect = (chunk: Buffer) => (out += chunk.toString());
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`compiled server did not start\n${out}`)), 170_000);
    child.once('exit', (code) => reject(new Error(`compiled server exited with ${code}\n${out}`)));
    child.stdout!.on('data', () => {
      const m = /running on http:\/\/localhost:(\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({ child, url: `http://127.0.0.1:${m[1]}`, wsUrl: `ws://127.0.0.1:${m[1]}/collab`, output: () => out });
    });
  });
}

describe('the compiled server (npm start)', () => {
  beforeAll(() => {
    if (serverBuildIsStale(root)) buildServer(root);
  }, 180_000);

  let server: Awaited<ReturnType<typeof startCompiled>> | undefined;
  const clients: YClient[] = [];
  afterAll(() => {
    for (const c of clients.splice(0)) c.destroy();
    server?.child.kill('SIGKILL');
  });

  it('serves the app, syncs a stock y-websocket client, exports through its worker threads, and loads the editor schema only when something needs it', async () => {
    server = await startCompiled(tempDataDir());
    // No TypeScript loader in the process: plain node on the launcher, dist-server's bundle.
    expect(server.child.spawnargs.join(' ')).not.toMatch(/tsx/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const { event, session } = await createEventWithSession(server.url);
    const writer = connectClient(server.wsUrl, session.id, event.tokens.edit);
    const reader = connectClient(server.wsUrl, session.id, event.tokens.view);
    clients.push(writer, reader);
    await Promise.all([waitForSync(writer), waitForSync(reader)]);
    appendParagraph(writer.doc, 'compiled and durable');
    await waitFor(() => notesText(reader.doc).includes('compiled and durable'), 5000, 'the reader sees the edit');
    // Creating a session, syncing and storing notes need no editor schema: Tiptap and ProseMirror (about 12 MiB) stay unloaded.
    expect(server.output()).not.toMatch(/editor module loaded/);
    // The main thread runs the bundle (scripts/serverBuild.mjs), none of dist-server's per-file modules.
    expect(server.output()).not.toMatch(/per-file server module loaded/);

    const viewer = apiClient(server.url, event.tokens.view);
    for (const format of ['md', 'pdf'] as const) {
      const res = await fetch(`${server.url}/api/sessions/${session.id}/minutes?format=${format}`, { headers: { authorization: `Bearer ${event.tokens.view}` } });
      expect(res.status, format).toBe(200);
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (format === 'md') expect(new TextDecoder().decode(bytes)).toContain('compiled and durable');
      else expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    }
    expect(await viewer.getSession(session.id)).toMatchObject({ id: session.id });
    // Exports render in worker threads, which load their own. This process loads them on first use: here, to check a template.
    const template = { type: 'doc', content: [{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Notes' }] }] };
    const put = await fetch(`${server.url}/api/events/${event.event.id}/template`, { method: 'PUT', headers: { authorization: `Bearer ${event.tokens.moderate}`, 'content-type': 'application/json' }, body: JSON.stringify({ template }) });
    expect(put.status).toBe(200);
    // The log comes from the loader's thread, a moment later.
    await waitFor(() => /editor module loaded: @tiptap\/core/.test(server!.output()), 5000, 'the template check to load the editor schema');
    // The storage writer thread and the export workers (dist-server's per-file modules) started: their fallbacks would say so in the log.
    expect(server.output()).not.toMatch(/could not start/);
  }, 200_000);

  it("keeps V8's young generation small (npm start's --max-semi-space-size), even after a burst of work", async () => {
    // Unbounded, V8 grows it to 32 MiB under load and keeps it resident: a third of the server's memory at start.
    expect(server, 'the first test started the server').toBeDefined();
    const res = await fetch(`${server!.url}/metrics`);
    expect(res.status).toBe(200);
    const m = /^nodejs_heap_space_size_total_bytes\{space="new"\} (\d+)/m.exec(await res.text());
    expect(m, 'new space in the default metrics').not.toBeNull();
    expect(Number(m![1])).toBeLessThanOrEqual(2 * 1024 * 1024);
  });

  it('its export pool renders in worker threads that load the compiled JavaScript', async () => {
    const out = path.join(root, SERVER_OUT, 'server');
    const { createRenderPool } = (await import(pathToFileURL(path.join(out, 'minutes', 'renderPool.js')).href)) as typeof import('../../server/minutes/renderPool.js');
    const { createNotesSchema } = (await import(pathToFileURL(path.join(out, 'notesSchema.js')).href)) as typeof import('../../server/notesSchema.js');
    const { sessionInput } = await import('../helpers/minutesInput.js');
    const { jpSession } = await import('../fixtures/minutes/fixtureNotes.js');
    const schema = createNotesSchema();
    const pool = createRenderPool(() => Promise.resolve(schema), { size: 1 });
    try {
      const bytes = await pool.render({ scope: 'session', format: 'md', minutes: sessionInput(jpSession(), schema) });
      expect(new TextDecoder().decode(bytes)).toContain('国内OpsWorkshop報告');
      expect(pool.stats().renderedInWorkers).toBe(1);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
