import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/limits.js';
import type { ApiErrorBody } from '../../shared/schemas.js';
import { clientNotes, etherpadFixture, outline, postBytes } from '../helpers/notesImport.js';
import { apiClient, createEventWithSession, serverSuite, startTestServer, type Fixture } from '../helpers/testServer.js';
import { connectClient, waitForSync } from '../helpers/yClient.js';

type Err = ApiErrorBody['error'];

describe('importing notes: every refusal is a clear 4xx, and nothing is half-imported', () => {
  const suite = serverSuite();
  let fx: Fixture;
  let templateOutline: string[];

  async function setup(): Promise<void> {
    suite.server = await startTestServer();
    fx = await createEventWithSession(suite.server.url, 'Bad input');
    templateOutline = await notesNow();
  }
  /** The notes as a client connecting now sees them: the round trip that proves nothing was written. */
  async function notesNow(): Promise<string[]> {
    const client = connectClient(suite.server!.wsUrl, fx.session.id, fx.event.tokens.view);
    suite.clients.push(client);
    await waitForSync(client);
    return outline(clientNotes(client.doc));
  }
  const post = async (query: string, body: Uint8Array | string, type?: string, token: string | null = fx.event.tokens.edit) => {
    const res = await postBytes<{ error: Err }>(`${suite.server!.url}/api/sessions/${fx.session.id}/import?${query}`, token, body, type);
    return { status: res.status, error: res.body?.error };
  };

  it('unknown formats are 415 with the list of supported ones: by name, by type, and by content', async () => {
    await setup();
    const byName = await post('format=docx', 'x');
    expect(byName.status).toBe(415);
    expect(byName.error).toMatchObject({ code: 'unsupported_format', message: expect.stringContaining('supported: md, txt, html, etherpad') });
    expect(byName.error!.details!.map((d) => d.path)).toEqual(['md', 'txt', 'html', 'etherpad']);
    expect((await post('', '%PDF-1.7', 'application/pdf')).status).toBe(415);
    const docx = zipSync({ 'word/document.xml': strToU8('<w:document/>') });
    expect((await post('filename=minutes.docx', docx)).error).toMatchObject({ code: 'unsupported_format' });
    expect(await notesNow()).toEqual(templateOutline);
  });

  it('a malformed .etherpad is 422 with the reason', async () => {
    await setup();
    const pad = JSON.parse(etherpadFixture('large-deployments.etherpad').toString('utf8')) as Record<string, { atext: { attribs: string } }>;
    pad['pad:large-deployments']!.atext.attribs = pad['pad:large-deployments']!.atext.attribs.replace('|1+j', '|2+j');
    const damaged = await post('format=etherpad', JSON.stringify(pad));
    expect(damaged).toMatchObject({
      status: 422,
      error: { code: 'invalid_import', params: { reason: 'operation 2 says 2 line(s) but its text has 1', problem: 'etherpad_damaged' }, details: [{ path: 'atext.attribs', code: 'etherpad_damaged', params: { detail: 'operation 2 says 2 line(s) but its text has 1' } }] },
    });
    // The UI shows the problem code in its language; the parser's own words travel as a detail.
    const notJson = (await post('format=etherpad', '{"pad:x": {"atext":')).error!;
    expect(notJson.params).toMatchObject({ problem: 'etherpad_not_json', reason: expect.stringMatching(/not valid JSON/) });
    expect(notJson.details).toEqual([{ code: 'etherpad_not_json', params: { detail: expect.stringMatching(/JSON/) }, message: expect.stringMatching(/not valid JSON/) }]);
    expect((await post('format=etherpad', '{"pad:a": {}, "pad:b": {}}')).error!.params).toMatchObject({ problem: 'etherpad_many_pads' });
    expect((await post('', '{"pad:x": {"atext": {"text": "a\\n"}}}', 'application/json')).error!.params!.reason).toBe('pad:x.atext.attribs: Invalid input: expected string, received undefined');
    expect((await post('format=md', new Uint8Array([0x63, 0x61, 0x66, 0xe9]))).error).toMatchObject({ code: 'invalid_import', params: { reason: 'the file is not UTF-8 text', problem: 'not_utf8' } });
    expect((await post('format=html', '<script>alert(1)</script><style>p{}</style>')).error!.params).toEqual({ reason: 'the file has no notes in it', problem: 'no_notes' });
    expect(await notesNow()).toEqual(templateOutline);
  });

  it('size and nesting: over 5 MB is 413, deeper than the limit is 422, an empty body 400', async () => {
    await setup();
    const big = await post('format=txt', 'x'.repeat(LIMITS.maxImportBytes + 1));
    expect(big).toMatchObject({ status: 413, error: { code: 'too_large' } });
    const deepList = Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
    expect(await post('format=md', deepList)).toMatchObject({ status: 422, error: { params: { reason: `the notes are nested more than ${LIMITS.maxImportDepth} levels deep`, problem: 'too_deep' } } });
    expect(await post('format=html', '<div>'.repeat(300) + 'x')).toMatchObject({ status: 422, error: { params: { reason: expect.stringMatching(/nested more than \d+ elements deep/) } } });
    expect(await post('format=md', '>'.repeat(5000) + ' deep')).toMatchObject({ status: 422 });
    expect(await post('format=txt', '')).toMatchObject({ status: 400, error: { code: 'empty_body' } });
    expect(await post('format=txt&mode=overwrite', 'x')).toMatchObject({ status: 400, error: { code: 'invalid_choice', params: { field: 'mode' } } });
    expect(await notesNow()).toEqual(templateOutline);
  });

  it('access: no token 401, the view link 403, locked notes 403 for editors but not for moderators, unknown session 404', async () => {
    await setup();
    expect((await post('format=txt', 'ACTION: x', undefined, null)).status).toBe(401);
    expect(await post('format=txt', 'ACTION: x', undefined, fx.event.tokens.view)).toMatchObject({ status: 403, error: { code: 'insufficient_role', params: { needed: 'edit', role: 'view' } } });
    await apiClient(suite.server!.url, fx.event.tokens.moderate).patchSession(fx.session.id, { locked: true });
    expect(await post('format=txt', 'ACTION: x')).toMatchObject({ status: 403, error: { code: 'locked' } });
    expect(await notesNow()).toEqual(templateOutline);
    expect((await post('format=txt&mode=replace', 'ACTION: @mod x', undefined, fx.event.tokens.moderate)).status).toBe(200);
    expect(await notesNow()).toEqual(['paragraph: ACTION: @mod x']);
    const unknown = await postBytes<{ error: Err }>(`${suite.server!.url}/api/sessions/aaaaaaaaaaaaaaaa/import?format=txt`, fx.event.tokens.edit, 'x');
    expect(unknown.status).toBe(404);
  });

  it('notes larger than one document update may be are refused (413) before anything is written', { timeout: 120_000 }, async () => {
    await setup();
    // Under 5 MB of text, but as one Yjs update bigger than 4 MiB.
    const lines = Array.from({ length: 9_000 }, (_, i) => `${i} ${'x'.repeat(500)}`).join('\n');
    expect(lines.length).toBeLessThan(LIMITS.maxImportBytes);
    expect(await post('format=txt', lines)).toMatchObject({ status: 413, error: { code: 'too_large', params: { maxMiB: LIMITS.maxUpdateBytes / 1024 / 1024 }, details: [{ path: 'notes', message: expect.stringMatching(/larger than one document update/) }] } });
    // One list of 200,000 items: too many for Yjs to insert at once.
    expect(await post('format=txt', Array.from({ length: 200_000 }, (_, i) => `- ${i}`).join('\n'))).toMatchObject({ status: 413, error: { code: 'too_large' } });
    expect(await notesNow()).toEqual(templateOutline);
  });
});
