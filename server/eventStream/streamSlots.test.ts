import { describe, expect, it } from 'vitest';
import { MemoryStreamSlots } from './streamSlots.js';

describe('stream slots counted in memory', () => {
  it('admits up to the cap per key, counts links and addresses apart, and frees a slot on release', async () => {
    const slots = new MemoryStreamSlots();
    expect(await slots.tryTake('address', '10.0.0.1', '1', 2)).toBe(true);
    expect(await slots.tryTake('address', '10.0.0.1', '2', 2)).toBe(true);
    expect(await slots.tryTake('address', '10.0.0.1', '3', 2)).toBe(false);
    // A stream already holding its slot keeps it (asking again takes nothing more).
    expect(await slots.tryTake('address', '10.0.0.1', '2', 2)).toBe(true);
    expect(await slots.tryTake('link', '10.0.0.1', '3', 2)).toBe(true);
    expect(await slots.tryTake('address', '10.0.0.2', '3', 2)).toBe(true);
    slots.release('address', '10.0.0.1', '1');
    slots.release('address', '10.0.0.1', 'never-taken');
    expect(await slots.tryTake('address', '10.0.0.1', '3', 2)).toBe(true);
    expect(await slots.tryTake('address', '10.0.0.1', '4', 2)).toBe(false);
  });

  it('take() admits whatever the cap, and those slots count against it', async () => {
    const slots = new MemoryStreamSlots();
    slots.take('address', 'a', '1');
    slots.take('address', 'a', '2');
    expect(await slots.tryTake('address', 'a', '3', 2)).toBe(false);
  });
});
