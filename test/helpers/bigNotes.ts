import * as Y from 'yjs';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { connectClient, waitFor, waitForSync, type YClient } from './yClient.js';

const WORDS = 'operators upgrade nova cells scheduler placement neutron ovs dpdk latency quota keystone federation metrics rabbitmq database migration rollback canary release packaging'.split(' ');
const JA = ['運用者の知見を共有する。', 'アップグレード手順を確認した。', '監視の粒度が課題になっている。'];

/** The text of paragraph `i`: about 200 bytes, English with some Japanese, deterministic. */
export function bigParagraphText(i: number): string {
  const words = Array.from({ length: 24 }, (_, k) => WORDS[(i * 7 + k * 3) % WORDS.length]);
  return `${i}: ${words.join(' ')} ${JA[i % JA.length]}`;
}

/**
 * Writes about `bytes` of notes through a stock y-websocket client, the way
 * a very long session would grow: paragraphs (some bold, some in bullet
 * lists, some action items), in updates of about 1 MB (under the per-update
 * limit), then waits until a second client has all of it from the server.
 */
export async function writeBigNotes(wsUrl: string, sessionId: string, token: string, bytes: number): Promise<{ paragraphs: number; lastText: string; clients: YClient[] }> {
  const writer = connectClient(wsUrl, sessionId, token);
  await waitForSync(writer, 30_000);
  const fragment = writer.doc.getXmlFragment(NOTES_FRAGMENT);
  const perUpdate = 5000;
  const total = Math.ceil(bytes / 200);
  for (let start = 0; start < total; start += perUpdate) {
    writer.doc.transact(() => {
      const blocks: Y.XmlElement[] = [];
      for (let i = start; i < Math.min(total, start + perUpdate); i++) {
        const p = new Y.XmlElement('paragraph');
        const t = new Y.XmlText();
        if (i % 500 === 7) t.insert(0, `ACTION: @ops${i % 5} follow up on item ${i} by 2026-06-01`);
        else if (i % 10 === 3) t.applyDelta([{ insert: 'Decision: ', attributes: { bold: {} } }, { insert: bigParagraphText(i) }]);
        else t.insert(0, bigParagraphText(i));
        p.insert(0, [t]);
        if (i % 10 === 5) {
          const list = new Y.XmlElement('bulletList');
          const item = new Y.XmlElement('listItem');
          item.insert(0, [p]);
          list.insert(0, [item]);
          blocks.push(list);
        } else blocks.push(p);
      }
      fragment.insert(fragment.length, blocks);
    });
    // Let the socket drain between updates, as typing would.
    await waitFor(() => (writer.provider.ws?.bufferedAmount ?? 0) === 0, 60_000, 'the update sent');
  }
  const blocks = fragment.length;
  const reader = connectClient(wsUrl, sessionId, token);
  await waitForSync(reader, 120_000);
  await waitFor(() => reader.doc.getXmlFragment(NOTES_FRAGMENT).length === blocks, 120_000, 'all notes on the server');
  return { paragraphs: total, lastText: bigParagraphText(total - 1), clients: [writer, reader] };
}
