import { describe, expect, it } from 'vitest';
import { joinLink } from './joinLink.js';

const edit = 'E'.repeat(32);
const view = 'V'.repeat(32);
const mod = 'M'.repeat(32);
const links = { edit: `https://notes.example.org/e/ops#k=${edit}`, view: `https://notes.example.org/e/ops#k=${view}`, moderate: `https://notes.example.org/e/ops#k=${mod}` };
const base = { origin: 'http://localhost:3000', slug: 'ops', sessionId: 'abcdefghijklmnop' };

describe('joinLink', () => {
  it('gives a moderator the chosen link, on the configured public origin, never the moderate token', () => {
    expect(joinLink({ ...base, role: 'moderate', token: mod, links, chosen: 'edit' })).toEqual({ url: `https://notes.example.org/e/ops/s/abcdefghijklmnop#k=${edit}`, role: 'edit' });
    expect(joinLink({ ...base, role: 'moderate', token: mod, links, chosen: 'view' })?.url).toContain(view);
    expect(joinLink({ ...base, role: 'moderate', token: mod, links: null, chosen: 'edit' })).toBeNull();
  });

  it('shows the opener’s own link to anyone else', () => {
    expect(joinLink({ ...base, role: 'edit', token: edit, links: null, chosen: 'view' })).toEqual({ url: `http://localhost:3000/e/ops/s/abcdefghijklmnop#k=${edit}`, role: 'edit' });
    expect(joinLink({ ...base, role: 'view', token: view, links: null, chosen: 'edit' })?.role).toBe('view');
  });
});
