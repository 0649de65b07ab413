import { describe, expect, it } from 'vitest';
import { PALETTE } from '../lib/identity.js';
import { clientAuthors } from './authorTint.js';

describe('"Show authors" in the editor', () => {
  it('tints two people who showed the same colour differently; the server’s kinds keep theirs', () => {
    const [red, rust] = PALETTE as [string, string];
    const map = clientAuthors([
      { name: 'Bob Brown', kind: 'person', color: red, chars: 40, clients: [2, 3] },
      { name: 'Alice Anders', kind: 'person', color: red, chars: 10, clients: [1] },
      { name: 'restore', kind: 'restore', color: '#0a7f6f', chars: 5, clients: [9] },
    ]);
    expect(map.get(1)).toEqual({ name: 'Alice Anders', color: red });
    expect(map.get(2)).toEqual({ name: 'Bob Brown', color: rust });
    expect(map.get(3)!.color).toBe(rust);
    expect(map.get(9)!.color).toBe('#0a7f6f');
  });
});
