import { describe, expect, it } from 'vitest';
import { AUTHOR_KIND_COLORS } from '../../shared/history/history.js';
import { caretColor, colorFor, distinctColors, PALETTE } from './identity.js';

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
const linear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const luminance = (hex: string) => {
  const [r, g, b] = rgb(hex).map(linear) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};
/** CIELAB (D65) of an sRGB colour: distances here are roughly how different two colours look. */
const lab = (hex: string) => {
  const [r, g, b] = rgb(hex).map(linear) as [number, number, number];
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const x = f((r * 0.4124 + g * 0.3576 + b * 0.1805) / 0.95047);
  const y = f(r * 0.2126 + g * 0.7152 + b * 0.0722);
  const z = f((r * 0.0193 + g * 0.1192 + b * 0.9505) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)] as const;
};
const distance = (a: string, b: string) => Math.hypot(...lab(a).map((v, i) => v - lab(b)[i]!));
/** The tint behind an author's text: 22% of the colour over white (client/styles.css, color-mix in srgb). */
const tint = (hex: string) => '#' + rgb(hex).map((c) => Math.round((c * 0.22 + 0.78) * 255).toString(16).padStart(2, '0')).join('');

describe('people’s colours', () => {
  it('are twelve clearly different colours, legible as caret labels (white text) and as a tint behind the text', () => {
    expect(PALETTE).toHaveLength(12);
    expect(new Set(PALETTE).size).toBe(12);
    for (const c of PALETTE) {
      expect(c).toMatch(/^#[0-9a-f]{6}$/);
      expect(contrast(c, '#ffffff'), c).toBeGreaterThanOrEqual(4.5);
      expect(contrast(tint(c), '#1f2328'), c).toBeGreaterThanOrEqual(7);
    }
    for (const a of PALETTE) for (const b of PALETTE) if (a !== b) expect(distance(a, b), `${a} ${b}`).toBeGreaterThanOrEqual(30);
    // The old palette's #d1242f and #cf222e were 1 apart; the server's kinds (greys, restore's teal, import's violet) stay apart too.
    for (const a of PALETTE) for (const k of Object.values(AUTHOR_KIND_COLORS)) expect(distance(a, k), `${a} ${k}`).toBeGreaterThanOrEqual(25);
  });

  it('a name always gives the same palette colour', () => {
    expect(colorFor('Ana')).toBe(colorFor(' ana '));
    expect(PALETTE).toContain(colorFor('はな'));
  });

  it('shown together, people keep the colour they showed unless someone earlier has it; nobody shares while colours last', () => {
    const [red, rust] = PALETTE as [string, string];
    const map = distinctColors([
      { key: 'p:Alice Anders', name: 'Alice Anders', preferred: red },
      { key: 'p:Bob Brown', name: 'Bob Brown', preferred: red.toUpperCase() },
      { key: 'p:Old', name: 'Old', preferred: '#cf222e' },
    ]);
    expect(map.get('p:Alice Anders')).toBe(red);
    expect(map.get('p:Bob Brown')).toBe(rust);
    // A colour from before this palette: the name's colour, or the next free one.
    expect(PALETTE).toContain(map.get('p:Old'));
    expect(new Set(map.values()).size).toBe(3);

    const many = Array.from({ length: 12 }, (_, i) => ({ key: `p:${i}`, name: `Person ${i}`, preferred: red }));
    expect(new Set(distinctColors(many).values()).size).toBe(12);
    const more = distinctColors([...many, { key: 'p:13', name: 'Person 13', preferred: null }]);
    expect(more.size).toBe(13);
    expect(PALETTE).toContain(more.get('p:13'));
  });

  it('a caret keeps its name’s colour when free; in a clash the higher client id moves, and they settle', () => {
    const name = 'Alice Anders';
    const own = colorFor(name);
    expect(caretColor(name, { clientId: 5, color: own }, [])).toBe(own);
    expect(caretColor(name, { clientId: 5, color: own }, [{ clientId: 9, color: PALETTE.find((c) => c !== own)! }])).toBe(own);

    // Alice and Bob both arrive with the same colour at once: only the higher id (Bob) moves.
    const bob = { clientId: 9, color: own };
    const alice = { clientId: 5, color: own };
    expect(caretColor(name, alice, [bob])).toBe(own);
    const bobNext = caretColor('Bob Brown', bob, [alice]);
    expect(bobNext).not.toBe(own);
    // A second round changes nothing (no swapping back and forth).
    expect(caretColor(name, alice, [{ clientId: 9, color: bobNext }])).toBe(own);
    expect(caretColor('Bob Brown', { clientId: 9, color: bobNext }, [alice])).toBe(bobNext);
    // When Alice leaves, Bob's own colour is free again and he takes it back.
    expect(caretColor('Bob Brown', { clientId: 9, color: bobNext }, [])).toBe(colorFor('Bob Brown'));
  });

  it('twelve people present settle on twelve colours, whatever their names hash to', () => {
    let people = Array.from({ length: 12 }, (_, i) => ({ clientId: 100 - i, name: `P${i}`, color: PALETTE[0]! }));
    for (let round = 0; round < 12; round++) {
      // Everyone decides from the same snapshot, as awareness updates arrive together.
      people = people.map((p) => ({ ...p, color: caretColor(p.name, p, people.filter((o) => o !== p)) }));
    }
    expect(new Set(people.map((p) => p.color)).size).toBe(12);
  });
});
