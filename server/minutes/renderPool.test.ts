import mammoth from 'mammoth';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureEvent, jpSession } from '../../test/fixtures/minutes/fixtureNotes.js';
import { renderBinary } from './renderBinary.js';
import { createWorkerRenderer, type BinaryRenderer } from './renderPool.js';

async function pdfText(bytes: Uint8Array): Promise<string> {
  return (await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })).text;
}

describe('DOCX/PDF rendering in a worker thread', () => {
  let renderer: BinaryRenderer | undefined;
  afterEach(async () => {
    await renderer?.close();
    renderer = undefined;
  });

  it('gives the same documents as rendering in process', async () => {
    renderer = createWorkerRenderer();
    const [pdf, docx, eventPdf] = await Promise.all([
      renderer.render({ scope: 'session', format: 'pdf', minutes: jpSession() }),
      renderer.render({ scope: 'session', format: 'docx', minutes: jpSession() }),
      renderer.render({ scope: 'event', format: 'pdf', minutes: fixtureEvent() }),
    ]);
    expect(await pdfText(pdf)).toBe(await pdfText(await renderBinary({ scope: 'session', format: 'pdf', minutes: jpSession() })));
    expect(await pdfText(eventPdf)).toContain('国内OpsWorkshop報告');
    const html = (await mammoth.convertToHtml({ buffer: Buffer.from(docx) })).value;
    expect(html).toBe((await mammoth.convertToHtml({ buffer: Buffer.from(await renderBinary({ scope: 'session', format: 'docx', minutes: jpSession() })) })).value);
  }, 60_000);

  it('a failing job rejects with the reason and the worker keeps serving', async () => {
    renderer = createWorkerRenderer();
    const broken = { ...jpSession(), session: null } as unknown as ReturnType<typeof jpSession>;
    await expect(renderer.render({ scope: 'session', format: 'pdf', minutes: broken })).rejects.toThrow(/title|null/);
    expect((await renderer.render({ scope: 'session', format: 'pdf', minutes: jpSession() })).byteLength).toBeGreaterThan(1000);
  }, 60_000);

  it('close() ends the worker; later jobs start a new one', async () => {
    renderer = createWorkerRenderer();
    await renderer.render({ scope: 'session', format: 'docx', minutes: jpSession() });
    await renderer.close();
    expect((await renderer.render({ scope: 'session', format: 'docx', minutes: jpSession() })).byteLength).toBeGreaterThan(1000);
  }, 60_000);
});
