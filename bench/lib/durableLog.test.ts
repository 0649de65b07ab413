import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createDurableLog, type DurableLog } from './durableLog.js';

/** A sync the test releases by hand, one call at a time. */
function heldSync() {
  const calls: (() => void)[] = [];
  return { calls, sync: () => new Promise<void>((resolve) => calls.push(resolve)) };
}

async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

describe('durableLog: what the durable bench peers deliver is synced first', () => {
  const logs: DurableLog[] = [];
  afterEach(() => logs.splice(0).forEach((l) => l.close()));
  const open = (sync: () => Promise<void>, paceMs = 10) => {
    const log = createDurableLog({ paceMs, sync });
    logs.push(log);
    return log;
  };

  it('writes a commit, syncs it, and only then delivers it', async () => {
    const held = heldSync();
    const log = open(held.sync);
    const seenAtDelivery: string[] = [];
    log.append(Buffer.from('first'), () => seenAtDelivery.push(fs.readFileSync(log.file, 'utf8')));
    await until('the sync', () => held.calls.length === 1);
    expect(fs.readFileSync(log.file, 'utf8')).toBe('first');
    await new Promise((r) => setTimeout(r, 30));
    expect(seenAtDelivery).toEqual([]);
    expect(log.stats()).toMatchObject({ bytes: 5, syncs: 0 });

    held.calls[0]!();
    await until('the delivery', () => seenAtDelivery.length === 1);
    expect(seenAtDelivery).toEqual(['first']);
    expect(log.stats()).toMatchObject({ bytes: 5, syncs: 1 });
  });

  it('gathers what arrives during a commit into the next one: one write and one sync for all of it, delivered in order', async () => {
    const held = heldSync();
    const log = open(held.sync);
    const order: string[] = [];
    log.append(Buffer.from('a'), () => order.push('a'));
    await until('the first sync', () => held.calls.length === 1);
    log.append(Buffer.from('b'), () => order.push('b'));
    log.append(Buffer.from('c'), () => order.push('c'));
    // Nothing of the next commit is written while the first is in flight.
    expect(fs.readFileSync(log.file, 'utf8')).toBe('a');

    held.calls[0]!();
    await until('the second sync', () => held.calls.length === 2);
    expect(order).toEqual(['a']);
    expect(fs.readFileSync(log.file, 'utf8')).toBe('abc');
    held.calls[1]!();
    await until('the second delivery', () => order.length === 3);
    expect(order).toEqual(['a', 'b', 'c']);
    expect(held.calls).toHaveLength(2);
    expect(log.stats()).toMatchObject({ bytes: 3, syncs: 2 });
  });

  it('syncs for real by default: the file survives as written', async () => {
    const log = createDurableLog({ paceMs: 10 });
    logs.push(log);
    const delivered: number[] = [];
    for (let i = 0; i < 5; i++) log.append(Buffer.from([i]), () => delivered.push(i));
    await until('every delivery', () => delivered.length === 5);
    expect(delivered).toEqual([0, 1, 2, 3, 4]);
    expect([...fs.readFileSync(log.file)]).toEqual([0, 1, 2, 3, 4]);
    expect(log.stats().syncs).toBeGreaterThanOrEqual(1);
  });
});
