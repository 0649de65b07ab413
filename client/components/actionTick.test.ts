import { describe, expect, it } from 'vitest';
import { applyTick, openCount, undoTick } from './actionTick.js';

const items = [
  { id: 'a', status: 'open' as const, text: 'one' },
  { id: 'b', status: 'done' as const, text: 'two' },
  { id: 'c', status: 'open' as const, text: 'three' },
];

describe('action item ticks', () => {
  it('counts open items only', () => {
    expect(openCount(items)).toBe(2);
    expect(openCount([])).toBe(0);
    expect(openCount(applyTick(items, 'a', 'done'))).toBe(1);
  });

  it('a refused tick is taken back, the other items untouched', () => {
    const ticked = applyTick(items, 'a', 'done');
    expect(ticked.map((i) => i.status)).toEqual(['done', 'done', 'open']);
    expect(undoTick(ticked, 'a', 'done')).toEqual(items);
    const unticked = applyTick(items, 'b', 'open');
    expect(undoTick(unticked, 'b', 'open')).toEqual(items);
  });

  it('does not undo what a refetch already set', () => {
    // The list was refreshed from the server in between and shows the item open already: nothing to take back.
    expect(undoTick(items, 'a', 'done')).toEqual(items);
    // An item that is no longer listed stays gone.
    expect(undoTick(items.slice(1), 'a', 'done')).toEqual(items.slice(1));
  });
});
