import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import type { ActionItemDto } from '../../shared/schemas.js';
import { eventually } from '../helpers/eventually.js';
import { apiClient, api, createEventWithSession, startTestServer, type Fixture, serverSuite } from '../helpers/testServer.js';
import { connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';

function appendBlock(doc: Y.Doc, text: string, kind: 'paragraph' | 'task' = 'paragraph', checked = false): Y.XmlText {
  const t = new Y.XmlText(text);
  doc.transact(() => {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [t]);
    if (kind === 'task') {
      const item = new Y.XmlElement('taskItem');
      item.setAttribute('checked', checked as unknown as string);
      item.insert(0, [p]);
      const list = new Y.XmlElement('taskList');
      list.insert(0, [item]);
      doc.getXmlFragment(NOTES_FRAGMENT).push([list]);
    } else {
      doc.getXmlFragment(NOTES_FRAGMENT).push([p]);
    }
  });
  return t;
}

function paragraphOf(text: Y.XmlText): Y.XmlElement {
  return text.parent as Y.XmlElement;
}

describe('action items tagged live', () => {
  const suite = serverSuite();
  let fx: Fixture;

  async function setup() {
    suite.server = await startTestServer({ taggerDebounceMs: 100 });
    fx = await createEventWithSession(suite.server.url);
    const writer = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.edit);
    suite.clients.push(writer);
    await waitForSync(writer);
    return writer;
  }

  const list = async () =>
    (await api<{ items: ActionItemDto[] }>(suite.server!.url, 'GET', `/api/sessions/${fx.session.id}/action-items`, { token: fx.event.tokens.view })).body.items;

  it('an action line gets an actionItemId and appears in the API with owner and due date', async () => {
    const writer = await setup();
    const viewer = connectClient(suite.server!.wsUrl, fx.session.id, fx.event.tokens.view);
    suite.clients.push(viewer);
    await waitForSync(viewer);
    // How fast this happens is measured by `npm run bench -- tagging`; the test only waits for it.
    const text = appendBlock(writer.doc, 'ACTION: @dana send the summary by 2016-05-17 ##ops-guide');
    await waitFor(() => typeof paragraphOf(text).getAttribute('actionItemId') === 'string', 10_000, 'tagged');
    const id = paragraphOf(text).getAttribute('actionItemId') as string;
    const items = await list();
    expect(items).toEqual([
      { id, sessionId: fx.session.id, text: '@dana send the summary by 2016-05-17 ##ops-guide', owners: ['dana'], due: '2016-05-17', tags: ['ops-guide'], status: 'open' },
    ]);
    // The view client sees the same mark.
    await waitFor(() => {
      const frag = viewer.doc.getXmlFragment(NOTES_FRAGMENT);
      return frag.toArray().some((n) => n instanceof Y.XmlElement && n.getAttribute('actionItemId') === id);
    }, 10_000, 'viewer sees attribute');
  });

  it('editing owner and due updates the item and keeps its id; deleting the marker removes it', async () => {
    const writer = await setup();
    const text = appendBlock(writer.doc, 'TODO: @dana book the room due 5/17');
    await waitFor(() => typeof paragraphOf(text).getAttribute('actionItemId') === 'string', 10_000, 'tagged');
    const id = paragraphOf(text).getAttribute('actionItemId');
    const s = text.toString();
    text.delete(s.indexOf('@dana'), '@dana'.length);
    text.insert(s.indexOf('@dana'), '@erin');
    await waitFor(() => text.toString().includes('@erin'), 10_000, 'local edit');
    let items: ActionItemDto[] = [];
    await eventually(async () => {
      items = await list();
      return items[0]?.owners[0] === 'erin';
    }, 10_000);
    expect(items[0]).toMatchObject({ id, owners: ['erin'], due: '2016-05-17' });

    text.delete(0, 'TODO: '.length);
    await waitFor(() => paragraphOf(text).getAttribute('actionItemId') === undefined, 10_000, 'mark removed');
    await eventually(async () => (await list()).length === 0, 10_000);
  });

  it('concurrent typing while the tagger writes loses no character', async () => {
    const writer = await setup();
    const other = connectClient(suite.server!.wsUrl, fx.session.id, fx.event.tokens.edit);
    suite.clients.push(other);
    await waitForSync(other);
    const text = appendBlock(writer.doc, 'ACTION: @chen ');
    await waitFor(() => notesText(other.doc).includes('ACTION: @chen'), 10_000, 'other sees line');
    const otherText = other.doc
      .getXmlFragment(NOTES_FRAGMENT)
      .toArray()
      .map((n) => (n as Y.XmlElement).toArray()[0])
      .find((t) => t instanceof Y.XmlText && t.toString().startsWith('ACTION: @chen')) as Y.XmlText;
    const typedA: string[] = [];
    const typedB: string[] = [];
    for (let i = 0; i < 60; i++) {
      const a = `a${i} `;
      const b = `b${i} `;
      text.insert(text.length, a);
      otherText.insert(otherText.length, b);
      typedA.push(a);
      typedB.push(b);
      await new Promise((r) => setTimeout(r, 10));
    }
    await waitFor(() => notesText(writer.doc) === notesText(other.doc) && paragraphOf(text).getAttribute('actionItemId') !== undefined, 10_000, 'converged and tagged');
    const final = text.toString();
    for (const t of [...typedA, ...typedB]) expect(final).toContain(t.trim());
  });

  it('edits the server has not seen yet while it tags the line are merged, not lost', async () => {
    const writer = await setup();
    const other = connectClient(suite.server!.wsUrl, fx.session.id, fx.event.tokens.edit);
    suite.clients.push(other);
    await waitForSync(other);
    const text = appendBlock(writer.doc, 'TODO: @chen ');
    await waitFor(() => notesText(other.doc).includes('TODO: @chen'), 10_000, 'other sees line');
    const otherText = findText(other.doc, 'TODO: @chen');
    // The other note-taker keeps typing while offline, so the server's tag is written concurrently with these edits.
    other.provider.disconnect();
    const typed = 'collect the HA numbers 期限：6月15日';
    for (const ch of typed) otherText.insert(otherText.length, ch);
    await waitFor(() => typeof paragraphOf(text).getAttribute('actionItemId') === 'string', 10_000, 'tagged meanwhile');
    const id = paragraphOf(text).getAttribute('actionItemId') as string;
    other.provider.connect();
    await waitFor(() => notesText(writer.doc).includes(typed), 10_000, 'offline edits merged');
    expect(text.toString()).toBe(`TODO: @chen ${typed}`);
    expect(findText(other.doc, 'TODO: @chen').toString()).toBe(`TODO: @chen ${typed}`);
    await waitFor(() => (paragraphOf(findText(other.doc, 'TODO: @chen')).getAttribute('actionItemId') as unknown) === id, 10_000, 'other sees the tag');
    let items: ActionItemDto[] = [];
    await eventually(async () => {
      items = await list();
      return items[0]?.due === '2016-06-15';
    }, 10_000);
    expect(items).toEqual([{ id, sessionId: fx.session.id, text: `@chen ${typed}`, owners: ['chen'], due: '2016-06-15', tags: [], status: 'open' }]);
  });

  it('splitting an action line keeps the item where its text is; a paste from another session gets its own id', async () => {
    const writer = await setup();
    const text = appendBlock(writer.doc, 'ACTION: @dana send the summary by 2016-05-17');
    await waitFor(() => typeof paragraphOf(text).getAttribute('actionItemId') === 'string', 10_000, 'tagged');
    const p = paragraphOf(text);
    const id = p.getAttribute('actionItemId') as string;
    await apiClient(suite.server!.url, fx.event.tokens.edit).setActionItemStatus(id, 'done');
    await waitFor(() => p.getAttribute('actionStatus') === 'done', 10_000, 'done');
    // Reading the list runs any pending tagging, so the next run sees only the new block.
    await list();
    const fragment = writer.doc.getXmlFragment(NOTES_FRAGMENT);
    const index = fragment.toArray().indexOf(p);
    // Enter at the start of the line: ProseMirror copies the block's attributes onto the empty block above.
    writer.doc.transact(() => {
      const above = new Y.XmlElement('paragraph');
      above.setAttribute('actionItemId', id);
      above.setAttribute('actionStatus', 'done');
      fragment.insert(index, [above]);
    });
    const above = fragment.get(index) as Y.XmlElement;
    await waitFor(() => above.getAttribute('actionItemId') === undefined, 10_000, 'empty copy unmarked');
    let items = await list();
    expect(items).toMatchObject([{ id, status: 'done', owners: ['dana'] }]);
    expect(p.getAttribute('actionItemId')).toBe(id);

    // The other way round: the text moves into a new block before the old one, which is left empty.
    await list();
    writer.doc.transact(() => {
      const moved = new Y.XmlElement('paragraph');
      moved.setAttribute('actionItemId', id);
      moved.setAttribute('actionStatus', 'done');
      moved.insert(0, [new Y.XmlText(text.toString())]);
      fragment.insert(fragment.toArray().indexOf(p), [moved]);
      text.delete(0, text.length);
    });
    const moved = fragment.get(fragment.toArray().indexOf(p) - 1) as Y.XmlElement;
    await waitFor(() => p.getAttribute('actionItemId') === undefined, 10_000, 'old block unmarked');
    expect(moved.getAttribute('actionItemId')).toBe(id);
    items = await list();
    expect(items).toMatchObject([{ id, status: 'done', owners: ['dana'] }]);

    // Enter in the middle of an item: the second half is a new item, open, with its own id.
    writer.doc.transact(() => {
      const below = new Y.XmlElement('paragraph');
      below.setAttribute('actionItemId', id);
      below.setAttribute('actionStatus', 'done');
      below.insert(0, [new Y.XmlText('TODO: @erin the second half')]);
      fragment.insert(fragment.toArray().indexOf(moved) + 1, [below]);
    });
    await eventually(async () => (items = await list()).length === 2, 10_000);
    expect(items[0]).toMatchObject({ id, status: 'done' });
    expect(items[1]).toMatchObject({ owners: ['erin'], status: 'open' });
    expect(items[1]!.id).not.toBe(id);

    // The same block pasted into another session's notes is that session's item, not this one moved.
    const other = await api<{ id: string }>(suite.server!.url, 'POST', `/api/events/${fx.event.event.id}/sessions`, { token: fx.event.tokens.moderate, body: { title: 'Session two' } });
    const second = connectClient(suite.server!.wsUrl, other.body.id, fx.event.tokens.edit);
    suite.clients.push(second);
    await waitForSync(second);
    second.doc.transact(() => {
      const pasted = new Y.XmlElement('paragraph');
      pasted.setAttribute('actionItemId', id);
      pasted.setAttribute('actionStatus', 'done');
      pasted.insert(0, [new Y.XmlText('ACTION: @dana send the summary by 2016-05-17')]);
      second.doc.getXmlFragment(NOTES_FRAGMENT).push([pasted]);
    });
    const secondItems = async () =>
      (await api<{ items: ActionItemDto[] }>(suite.server!.url, 'GET', `/api/sessions/${other.body.id}/action-items`, { token: fx.event.tokens.view })).body.items;
    let pastedItems: ActionItemDto[] = [];
    await eventually(async () => (pastedItems = await secondItems()).length === 1, 10_000);
    expect(pastedItems[0]!.id).not.toBe(id);
    expect(pastedItems[0]).toMatchObject({ owners: ['dana'], status: 'open' });
    expect((await list()).map((i) => i.id)).toContain(id);
  });

  it('PATCH status ticks the checkbox in the document; ticking it in the document updates the API', async () => {
    const writer = await setup();
    const text = appendBlock(writer.doc, '@akiko share the HA test results', 'task');
    await waitFor(() => typeof paragraphOf(text).getAttribute('actionItemId') === 'string', 10_000, 'task tagged');
    const id = paragraphOf(text).getAttribute('actionItemId') as string;
    const patched = await api<ActionItemDto>(suite.server!.url, 'PATCH', `/api/action-items/${id}`, { token: fx.event.tokens.edit, body: { status: 'done' } });
    expect(patched.status).toBe(200);
    expect(patched.body.status).toBe('done');
    const taskItem = paragraphOf(text).parent as Y.XmlElement;
    await waitFor(() => taskItem.getAttribute('checked') === (true as unknown as string), 10_000, 'checkbox ticked in doc');

    taskItem.setAttribute('checked', false as unknown as string);
    await eventually(async () => (await list())[0]?.status === 'open', 10_000);

    const viewPatch = await api(suite.server!.url, 'PATCH', `/api/action-items/${id}`, { token: fx.event.tokens.view, body: { status: 'done' } });
    expect(viewPatch.status).toBe(403);
    const bad = await api(suite.server!.url, 'PATCH', `/api/action-items/${id}`, { token: fx.event.tokens.edit, body: { status: 'finished' } });
    expect(bad.status).toBe(400);
  });
});

function findText(doc: Y.Doc, prefix: string): Y.XmlText {
  for (const block of doc.getXmlFragment(NOTES_FRAGMENT).toArray()) {
    const first = block instanceof Y.XmlElement ? block.get(0) : null;
    if (first instanceof Y.XmlText && first.toString().startsWith(prefix)) return first;
  }
  throw new Error(`no paragraph starts with ${prefix}`);
}
