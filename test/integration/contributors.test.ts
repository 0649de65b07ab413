import { parse } from 'csv-parse/sync';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { ContributorDto } from '../../shared/contributors/report.js';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import type { SessionDto } from '../../shared/schemas.js';
import { api, createEventWithSession, download, serverSuite, startTestServer, type TestServer } from '../helpers/testServer.js';
import { connectClient, waitForSync, type YClient } from '../helpers/yClient.js';

/** A note-taker with a display name, typing into a paragraph of their own. */
function noteTaker(suite: { clients: YClient[] }, server: TestServer, sessionId: string, token: string, name: string) {
  const c = connectClient(server.wsUrl, sessionId, token);
  c.provider.awareness.setLocalStateField('user', { name, color: '#345' });
  suite.clients.push(c);
  return {
    client: c,
    /** Types `text` into a new paragraph and returns it, the way the editor would (a keystroke at a time). */
    type(text: string): Y.XmlText {
      const t = new Y.XmlText();
      c.doc.transact(() => {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [t]);
        c.doc.getXmlFragment(NOTES_FRAGMENT).push([p]);
      });
      for (const ch of text) t.insert(t.length, ch);
      return t;
    },
  };
}

const cp = (s: string) => [...s].length;

describe('contributors report (real server, three note-takers in two sessions)', () => {
  const suite = serverSuite();

  it('counts the characters each person wrote that are still in the notes, merges spellings, and exports safely', async () => {
    const server = (suite.server = await startTestServer({ taggerDebounceMs: 50 }));
    const fx = await createEventWithSession(server.url, 'OpsRecognition');
    const ev = fx.event.event.id;
    const second = await api<SessionDto>(server.url, 'POST', `/api/events/${ev}/sessions`, {
      token: fx.event.tokens.moderate,
      body: { title: 'Japan Ops', moderators: ['alice ', '-2+3'], startsAt: '2016-04-26T15:00:00Z' },
    });
    const tokens = fx.event.tokens;

    const alice1 = noteTaker(suite, server, fx.session.id, tokens.edit, 'Alice');
    const bob1 = noteTaker(suite, server, fx.session.id, tokens.edit, 'Bob');
    const bob2 = noteTaker(suite, server, second.body.id, tokens.edit, 'Bob');
    const sato2 = noteTaker(suite, server, second.body.id, tokens.edit, '+Sato 佐藤');
    await Promise.all([alice1, bob1, bob2, sato2].map((n) => waitForSync(n.client)));

    const aliceText = alice1.type('Alice wrote this first line.');
    alice1.type('ACTION: @bob send the logs');
    bob1.type('Bob adds a line');
    bob2.type('日本語のメモ 😀');
    sato2.type('佐藤のメモです');
    // Bob deletes "first " from Alice's line (once he has it): those characters are not in the notes any more.
    await expect.poll(() => bob1.client.doc.getXmlFragment(NOTES_FRAGMENT).toString().includes('first line'), { timeout: 5000 }).toBe(true);
    const bobsCopy = (bob1.client.doc.getXmlFragment(NOTES_FRAGMENT).toArray() as Y.XmlElement[])
      .map((p) => p.get(0))
      .find((t): t is Y.XmlText => t instanceof Y.XmlText && t.toString().startsWith('Alice wrote'))!;
    bobsCopy.delete('Alice wrote this '.length, 'first '.length);
    await expect.poll(() => aliceText.toString(), { timeout: 5000 }).toBe('Alice wrote this line.');

    const expected = {
      alice: cp('Alice wrote this line.') + cp('ACTION: @bob send the logs'),
      bob1: cp('Bob adds a line'),
      bob2: cp('日本語のメモ 😀'),
      sato: cp('佐藤のメモです'),
    };
    const report = async () => (await api<ContributorDto[]>(server.url, 'GET', `/api/events/${ev}/contributors`, { token: tokens.view })).body;
    await expect
      .poll(async () => (await report()).map((p) => [p.name, p.chars]), { timeout: 5000 })
      .toEqual([
        ['-2+3', null],
        ['+Sato 佐藤', expected.sato],
        ['Alice', expected.alice],
        ['Bob', expected.bob1 + expected.bob2],
      ]);
    const people = await report();
    const alice = people.find((p) => p.name === 'Alice')!;
    expect(alice.variants).toEqual(['Alice', 'alice']);
    expect(alice.sessions).toEqual([
      { sessionId: fx.session.id, title: 'Session one', chars: expected.alice, moderated: false, tookNotes: true },
      { sessionId: second.body.id, title: 'Japan Ops', chars: null, moderated: true, tookNotes: false },
    ]);
    const bob = people.find((p) => p.name === 'Bob')!;
    expect(bob.sessions.map((s) => [s.title, s.chars, s.tookNotes])).toEqual([
      ['Session one', expected.bob1, true],
      ['Japan Ops', expected.bob2, true],
    ]);
    expect(bob.actionItems).toEqual({ owned: 1, done: 0 });

    // CSV: opens with no formula running (= + - @ neutralised), one row per person.
    const csv = await api<string>(server.url, 'GET', `/api/events/${ev}/contributors?format=csv`, { token: tokens.view });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain('contributors.csv');
    // The bytes open with a UTF-8 BOM (EF BB BF), so Excel shows Japanese names as written.
    const csvBytes = await download(server.url, `/api/events/${ev}/contributors?format=csv`, tokens.view);
    expect([...csvBytes.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(csvBytes.text, { bom: true, columns: true }) as Record<string, string>[];
    for (const cell of rows.flatMap((r) => Object.values(r))) expect(cell).not.toMatch(/^[=+\-@]/);
    expect(rows.map((r) => [r.name, r.characters])).toEqual([
      ["'-2+3", ''],
      ["'+Sato 佐藤", String(expected.sato)],
      ['Alice', String(expected.alice)],
      ['Bob', String(expected.bob1 + expected.bob2)],
    ]);
    const md = await api<string>(server.url, 'GET', `/api/events/${ev}/contributors?format=md`, { token: tokens.view });
    expect(md.body).toContain(`| Bob (bob) | Session one, Japan Ops | ${expected.bob1 + expected.bob2} |`);

    // The event minutes thank them.
    const minutes = await api<string>(server.url, 'GET', `/api/events/${ev}/minutes?format=md`, { token: tokens.view });
    expect(minutes.body).toContain('## Thanks to');
    expect(minutes.body).toContain('- **Note-takers:** +Sato 佐藤, Alice and Bob');
    expect(minutes.body).toContain('- **Moderators:** -2+3 and Alice');
    expect(minutes.body).toContain('- **Action-item owners:** Bob');

    // Another event's link sees nothing of it.
    const other = await createEventWithSession(server.url, 'Elsewhere');
    expect((await api(server.url, 'GET', `/api/events/${ev}/contributors`, { token: other.event.tokens.moderate })).status).toBe(401);
  });
});
