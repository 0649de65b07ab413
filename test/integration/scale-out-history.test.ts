import { afterEach, expect, it } from 'vitest';
import type { HistoryListDto, VersionDocDto } from '../../shared/history/history.js';
import type { ChildServer } from '../helpers/childServer.js';
import { describeScaleOut } from '../helpers/describeScaleOut.js';
import { api, createEventWithSession } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

describeScaleOut('history and search across two server processes on one PostgreSQL', ({ children, servers }) => {
  const clients: YClient[] = [];
  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
  });

  function writer(server: ChildServer, sessionId: string, token: string, name: string): YClient {
    const c = connectClient(server.wsUrl, sessionId, token);
    c.provider.awareness.setLocalStateField('user', { name, color: '#336699' });
    clients.push(c);
    return c;
  }

  it('what Ana wrote on A is in B’s history (with her name) and B’s search, also after A is killed -9', async () => {
    const [a, b] = (await servers(2)) as [ChildServer, ChildServer];
    const { event, session } = await createEventWithSession(a.url);
    const ana = writer(a, session.id, event.tokens.edit, 'Ana');
    const ben = writer(b, session.id, event.tokens.edit, 'Ben');
    await Promise.all([waitForSync(ana), waitForSync(ben)]);
    appendParagraph(ana.doc, 'Ana: 議事録の共有は来週');
    // B has it: A stored it before sending it on.
    await waitFor(() => notesText(ben.doc).includes('議事録の共有'), 15_000, 'Ana’s line on B');
    appendParagraph(ben.doc, 'Ben: agreed');
    await waitFor(() => notesText(ana.doc).includes('Ben: agreed'), 15_000, 'Ben’s line on A');

    const view = event.tokens.view;
    const authorsOnB = async () => (await api<HistoryListDto>(b.url, 'GET', `/api/sessions/${session.id}/history`, { token: view })).body.versions.flatMap((v) => v.authors);
    await expect.poll(authorsOnB, { timeout: 15_000 }).toEqual(expect.arrayContaining(['Ana', 'Ben']));
    // Ana's change reached B from A: B does not count it as written by the server in Ben's version.
    for (const server of [a, b]) {
      const versions = (await api<HistoryListDto>(server.url, 'GET', `/api/sessions/${session.id}/history`, { token: view })).body.versions;
      expect(versions.flatMap((v) => v.authors).filter((n) => !['Ana', 'Ben', 'template'].includes(n))).toEqual([]);
    }
    const search = async () => (await api<{ results: { snippet: string }[] }>(b.url, 'GET', `/api/events/${event.event.id}/search?q=${encodeURIComponent('議事録')}`, { token: view })).body.results.map((r) => r.snippet);
    await expect.poll(search, { timeout: 15_000 }).toEqual([expect.stringContaining('議事録の共有は来週')]);

    await a.kill9();
    children.splice(children.indexOf(a), 1);
    // B alone still shows Ana's version, as she wrote it, with her name.
    const list = await api<HistoryListDto>(b.url, 'GET', `/api/sessions/${session.id}/history`, { token: view });
    const anas = list.body.versions.find((v) => v.authors.includes('Ana'))!;
    expect(anas).toBeDefined();
    const version = await api<VersionDocDto>(b.url, 'GET', `/api/sessions/${session.id}/history/${anas.rev}?format=txt`, { token: view });
    expect(version.status).toBe(200);
    expect(JSON.stringify(version.body)).toContain('議事録の共有は来週');
    expect(await search()).toEqual([expect.stringContaining('議事録の共有は来週')]);
  });
});
