import { ERRORS } from '../../shared/errors.js';
import mammoth from 'mammoth';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureEvent, jpSession } from '../../test/fixtures/minutes/fixtureNotes.js';
import { eventInput, sessionInput } from '../../test/helpers/minutesInput.js';
import { createNotesSchema } from '../notesSchema.js';
import { loadedSchema } from '../notesSchemaLoader.js';
import { EVENT_FORMATS, SESSION_FORMATS } from './renderMinutes.js';
import { runRenderJob, type RenderJob } from './renderJob.js';
import { createRenderPool, RenderRefused, type MinutesRenderer } from './renderPool.js';

const schema = createNotesSchema();

async function pdfText(bytes: Uint8Array): Promise<string> {
  return (await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })).text;
}

/** What a reader sees in each format, so bytes that differ only in timestamps or ids compare equal. */
async function readable(format: string, bytes: Uint8Array): Promise<string> {
  if (format === 'pdf') return pdfText(bytes);
  if (format === 'docx') return (await mammoth.convertToHtml({ buffer: Buffer.from(bytes) })).value;
  if (format === 'zip') return String(bytes.byteLength > 100);
  return new TextDecoder().decode(bytes);
}

/** A session big enough that rendering it as PDF takes seconds. */
function bigJob(paragraphs: number): RenderJob {
  const m = jpSession();
  m.notes = { type: 'doc', content: Array.from({ length: paragraphs }, (_, i) => ({ type: 'paragraph', content: [{ type: 'text', text: `${i} operators upgrade nova cells 運用者の知見を共有する `.repeat(4) }] })) };
  return { scope: 'session', format: 'pdf', minutes: sessionInput(m, schema) };
}

function refusal(p: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  return p.then(
    () => {
      throw new Error('expected the export to be refused');
    },
    (err: unknown) => {
      if (!(err instanceof RenderRefused)) throw err;
      return { status: ERRORS[err.code].status, code: err.code, message: err.message };
    },
  );
}

describe('minutes render pool (worker threads)', () => {
  let pool: MinutesRenderer | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it('renders every format in a worker, exactly as rendering in this thread does', async () => {
    pool = createRenderPool(loadedSchema(schema), { size: 2, maxQueued: 20 });
    const jobs: RenderJob[] = [
      ...SESSION_FORMATS.map((format): RenderJob => ({ scope: 'session', format, minutes: sessionInput(jpSession(), schema) })),
      ...EVENT_FORMATS.map((format): RenderJob => ({ scope: 'event', format, minutes: eventInput(fixtureEvent(), schema) })),
    ];
    const fromPool = await Promise.all(jobs.map((j) => pool!.render(j)));
    for (const [i, job] of jobs.entries()) {
      expect(await readable(job.format, fromPool[i]!), `${job.scope} ${job.format}`).toBe(await readable(job.format, await runRenderJob(job, schema)));
    }
    expect(await pdfText(fromPool[SESSION_FORMATS.indexOf('pdf')]!)).toContain('国内OpsWorkshop報告');
    expect(pool.stats().renderedInWorkers).toBe(jobs.length);
  }, 120_000);

  it('a failing job is refused with the reason and the worker keeps serving', async () => {
    pool = createRenderPool(loadedSchema(schema), { size: 1 });
    const broken = { ...sessionInput(jpSession(), schema), session: null } as unknown as ReturnType<typeof sessionInput>;
    const failed = await refusal(pool.render({ scope: 'session', format: 'pdf', minutes: broken }));
    expect(failed).toMatchObject({ status: 500, code: 'export_failed' });
    expect(failed.message).toMatch(/rendering these minutes failed: .*(title|null)/);
    expect((await pool.render({ scope: 'session', format: 'pdf', minutes: sessionInput(jpSession(), schema) })).byteLength).toBeGreaterThan(1000);
  }, 60_000);

  it('refuses exports beyond the queue with 503 export_busy, and serves the ones it took', async () => {
    pool = createRenderPool(loadedSchema(schema), { size: 1, maxQueued: 1 });
    const job: RenderJob = { scope: 'session', format: 'md', minutes: sessionInput(jpSession(), schema) };
    const first = pool.render(job);
    const second = pool.render(job);
    const third = await refusal(pool.render(job));
    expect(third).toMatchObject({ status: 503, code: 'export_busy' });
    expect(third.message).toMatch(/1 exports are already waiting/);
    expect(new TextDecoder().decode(await first)).toContain('# 国内OpsWorkshop報告');
    expect(new TextDecoder().decode(await second)).toContain('# 国内OpsWorkshop報告');
  }, 60_000);

  it('refuses too much notes state up front with 413 export_too_large', async () => {
    pool = createRenderPool(loadedSchema(schema), { maxInputBytes: 1000 });
    const refused = await refusal(pool.render({ scope: 'event', format: 'md', minutes: eventInput(fixtureEvent(), schema) }));
    expect(refused).toMatchObject({ status: 413, code: 'export_too_large' });
    expect(refused.message).toMatch(/too large to export \(0\.0 MiB of notes; the limit is 0 MiB\)|too large to export/);
    expect(pool.stats().workers).toBe(0);
  });

  it('stops an export past its time limit with 503 export_timeout, and a fresh worker serves the next', async () => {
    pool = createRenderPool(loadedSchema(schema), { size: 1, timeoutMs: 300 });
    const refused = await refusal(pool.render(bigJob(20_000)));
    expect(refused).toMatchObject({ status: 503, code: 'export_timeout' });
    expect(refused.message).toMatch(/longer than 0 s to render and were stopped/);
    const md = await pool.render({ scope: 'session', format: 'md', minutes: sessionInput(jpSession(), schema) });
    expect(new TextDecoder().decode(md)).toContain('# 国内OpsWorkshop報告');
  }, 60_000);

  it('an export that needs more heap than a worker has fails alone with 413', async () => {
    pool = createRenderPool(loadedSchema(schema), { size: 1, maxHeapMb: 96, timeoutMs: 60_000 });
    // Warm the worker first, so the limit hits the export and not the start-up.
    await pool.render({ scope: 'session', format: 'md', minutes: sessionInput(jpSession(), schema) });
    const refused = await refusal(pool.render({ ...bigJob(60_000), format: 'docx' }));
    expect(refused).toMatchObject({ status: 413, code: 'export_too_large' });
    expect((await pool.render({ scope: 'session', format: 'txt', minutes: sessionInput(jpSession(), schema) })).byteLength).toBeGreaterThan(100);
  }, 120_000);

  it('close() ends the workers; later jobs start new ones', async () => {
    pool = createRenderPool(loadedSchema(schema));
    const job: RenderJob = { scope: 'session', format: 'docx', minutes: sessionInput(jpSession(), schema) };
    await pool.render(job);
    await pool.close();
    expect(pool.stats().workers).toBe(0);
    expect((await pool.render(job)).byteLength).toBeGreaterThan(1000);
  }, 60_000);
});
