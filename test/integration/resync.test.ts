import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { MESSAGE_TYPES, SYNC_TYPES } from '../../shared/protocol.js';
import type { Logger } from '../../server/logger.js';
import { createEventWithSession, serverSuite, startTestServer } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';

function isDocMessage(data: unknown): boolean {
  if (!(data instanceof Uint8Array)) return false;
  const d = decoding.createDecoder(data);
  if (decoding.readVarUint(d) !== MESSAGE_TYPES.sync) return false;
  const sub = decoding.readVarUint(d);
  return sub === SYNC_TYPES.step2 || sub === SYNC_TYPES.update;
}

/** A throwaway document holding a copy of one element, to read its text. */
function wrap(el: Y.XmlElement): Y.Doc {
  const d = new Y.Doc();
  d.getXmlFragment('default').insert(0, [el.clone()]);
  return d;
}

function isUpdateMessage(data: unknown): boolean {
  return data instanceof Uint8Array && data[0] === MESSAGE_TYPES.sync && data[1] === SYNC_TYPES.update;
}

describe('an update that depends on changes the server never got (a reconnect race)', () => {
  const suite = serverSuite();

  it('is dropped and fetched again with a SyncStep1; the stock client resends everything, and "saved" never comes early', async () => {
    const logLines: string[] = [];
    const log: Logger = { debug: () => {}, info: (m) => logLines.push(m), warn: (m) => logLines.push(m), error: (m) => logLines.push(m) };
    suite.server = await startTestServer({ log });
    const server = suite.server;
    const { event, session } = await createEventWithSession(server.url);

    // A stock y-websocket client with the `ack=1` extension, counting its document messages per socket
    // exactly like the app does, and a socket that can lose what it sends (a dying connection).
    // It can also hold back its SyncStep2 replies, to open the window in which an early "saved" would show.
    const net = { dropUpdates: false, holdStep2: false, held: [] as Uint8Array[], sent: 0, acked: 0, received: 0 };
    class FlakyWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        net.sent = 0;
        net.acked = 0;
        this.on('message', () => net.received++);
      }
      override send(data: Parameters<WebSocket['send']>[0]): void {
        if (net.dropUpdates && isUpdateMessage(data)) return;
        if (net.holdStep2 && data instanceof Uint8Array && data[0] === MESSAGE_TYPES.sync && data[1] === SYNC_TYPES.step2) {
          net.held.push(data);
          return;
        }
        if (isDocMessage(data)) net.sent++;
        super.send(data);
      }
    }
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(server.wsUrl, session.id, doc, {
      params: { token: event.tokens.edit, ack: '1' },
      WebSocketPolyfill: FlakyWebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 200,
    });
    const closes: number[] = [];
    provider.on('connection-close', (e: CloseEvent | null) => closes.push(e?.code ?? 0));
    // Whenever the client counts as saved, what it typed must really be on disk.
    const savedButMissing: string[] = [];
    const checks: Promise<unknown>[] = [];
    const storedText = async () => {
      const stored = await server.storage.docs.load(session.id);
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.mergeUpdates([...(stored.snapshot ? [stored.snapshot] : []), ...stored.updates]));
      return notesText(copy);
    };
    provider.messageHandlers[MESSAGE_TYPES.saved] = (_encoder, decoder) => {
      net.acked = decoding.readVarUint(decoder);
      if (net.acked === net.sent) {
        // What the client holds now, checked against storage read now (the read starts in this turn).
        const typed = ['efore the drop', 'lost in the dying socket', 'typed at the reconnect'].filter((t) => notesText(doc).includes(t));
        checks.push(storedText().then((text) => savedButMissing.push(...typed.filter((t) => !text.includes(t)))));
      }
    };
    try {
      await waitFor(() => provider.synced, 5000, 'first sync');
      appendParagraph(doc, 'before the drop');
      await waitFor(() => net.sent > 0 && net.acked === net.sent, 5000, 'saved');

      // The socket dies with an update in it; on the new socket the client types before the server's
      // SyncStep1 arrives, so its first update depends on the lost one.
      net.dropUpdates = true;
      appendParagraph(doc, 'lost in the dying socket');
      net.dropUpdates = false;
      const typeOnReconnect = ({ status }: { status: string }) => {
        if (status !== 'connected') return;
        provider.off('status', typeOnReconnect);
        net.holdStep2 = true;
        appendParagraph(doc, 'typed at the reconnect');
        // A deletion of text the server has: applied at once, but it must not make the lost words count as saved.
        const first = doc.getXmlFragment('default').toArray().find((n) => n instanceof Y.XmlElement && notesText(wrap(n)).includes('before the drop'));
        ((first as Y.XmlElement).get(0) as Y.XmlText).delete(0, 1);
      };
      provider.on('status', typeOnReconnect);
      provider.ws!.close();

      // The deletion is durable while the client's SyncStep2 is held back; a query round trip makes sure
      // any acknowledgement sent after that commit has arrived before we look.
      await expect.poll(async () => { const text = await storedText(); return text.includes('efore the drop') && !text.includes('before the drop'); }, { timeout: 10_000 }).toBe(true);
      const seen = net.received;
      // A SyncStep1 is always answered (presence queries are not, when nobody has presence).
      const step1 = encoding.createEncoder();
      encoding.writeVarUint(step1, MESSAGE_TYPES.sync);
      encoding.writeVarUint(step1, SYNC_TYPES.step1);
      encoding.writeVarUint8Array(step1, Y.encodeStateVector(doc));
      provider.ws!.send(encoding.toUint8Array(step1));
      await waitFor(() => net.received > seen, 5000, 'a round trip');
      await Promise.all(checks);
      expect(savedButMissing).toEqual([]);
      net.holdStep2 = false;
      for (const frame of net.held.splice(0)) provider.ws!.send(frame);

      const reader = connectClient(server.wsUrl, session.id, event.tokens.view);
      suite.clients.push(reader);
      await waitForSync(reader);
      await waitFor(() => notesText(reader.doc).includes('lost in the dying socket') && notesText(reader.doc).includes('typed at the reconnect'), 10_000, 'everything arrives');
      await waitFor(() => net.sent > 0 && net.acked === net.sent, 5000, 'saved again');
      expect(logLines).toContain('update depends on unseen changes: asking the client to resync');
      // Only our own close of the dying socket: the server never closed the client for the gap.
      expect(closes.filter((c) => c !== 1000 && c !== 1005)).toEqual([]);
      await Promise.all(checks);
      expect(savedButMissing).toEqual([]);
      expect(await storedText()).toContain('typed at the reconnect');
    } finally {
      provider.destroy();
      doc.destroy();
    }
  });
});
