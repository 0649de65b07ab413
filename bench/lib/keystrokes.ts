import * as Y from 'yjs';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';

/**
 * One note-taker: types into its own paragraph of the notes fragment, the
 * shape Tiptap gives a paragraph (XmlElement 'paragraph' holding an XmlText).
 * Each keystroke is remembered by the Yjs clock it produced, so any other
 * client can tell exactly which keystrokes it has received by comparing its
 * state vector: no markers inside the text, no scanning.
 */
export class Typist {
  /** Clock of this writer after each keystroke, and when it was typed (performance.now()). */
  readonly clocks: number[] = [];
  readonly times: number[] = [];
  private text: Y.XmlText | null = null;
  /** The writer's clock once its paragraph exists (what every peer must hold before typing starts). */
  setupClock = 0;

  constructor(readonly doc: Y.Doc) {}

  get clientId(): number {
    return this.doc.clientID;
  }

  createParagraph(): void {
    const text = new Y.XmlText();
    this.doc.transact(() => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [text]);
      this.doc.getXmlFragment(NOTES_FRAGMENT).push([p]);
    });
    this.text = text;
    this.setupClock = Y.getState(this.doc.store, this.clientId);
  }

  type(char: string): void {
    if (!this.text) throw new Error('createParagraph() first');
    const t = performance.now();
    this.text.insert(this.text.length, char);
    this.clocks.push(Y.getState(this.doc.store, this.clientId));
    this.times.push(t);
  }

  /** True when `doc` holds everything this writer has typed so far (or its setup when `setupOnly`). */
  deliveredTo(doc: Y.Doc, setupOnly = false): boolean {
    const want = setupOnly ? this.setupClock : (this.clocks[this.clocks.length - 1] ?? this.setupClock);
    return Y.getState(doc.store, this.clientId) >= want;
  }
}

/**
 * Records keystroke-to-reader latency on a reader: on every update the reader
 * applies, each writer's newly covered keystrokes typed after the call get `now - typedAt`.
 */
export function watchLatency(doc: Y.Doc, typists: readonly Typist[], samples: number[]): { updates: () => number } {
  // Only keystrokes typed from now on (a warm-up's are not measured).
  const cursors = typists.map((t) => t.clocks.length);
  let updates = 0;
  doc.on('update', () => {
    updates++;
    const now = performance.now();
    for (let w = 0; w < typists.length; w++) {
      const typist = typists[w]!;
      let cur = cursors[w]!;
      if (cur >= typist.clocks.length) continue;
      const state = Y.getState(doc.store, typist.clientId);
      while (cur < typist.clocks.length && typist.clocks[cur]! <= state) {
        samples.push(now - typist.times[cur]!);
        cur++;
      }
      cursors[w] = cur;
    }
  });
  return { updates: () => updates };
}

/**
 * Types `perWriter` keystrokes on every typist at `ratePerWriter` keystrokes a
 * second, spread evenly over time and round-robin over writers. If the event
 * loop falls behind, it catches up rather than silently typing less.
 */
export function typeAll(typists: readonly Typist[], perWriter: number, ratePerWriter: number): Promise<void> {
  const total = typists.length * perWriter;
  const perMs = (typists.length * ratePerWriter) / 1000;
  const alphabet = 'abcdefghijklmnopqrstuvwxyz ';
  let sent = 0;
  const start = performance.now();
  return new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) * perMs) + 1);
      while (sent < due) {
        const typist = typists[sent % typists.length]!;
        typist.type(alphabet[sent % alphabet.length]!);
        sent++;
      }
      if (sent >= total) return resolve();
      setTimeout(tick, 2);
    };
    tick();
  });
}
