import { describe, expect, it } from 'vitest';
import { jpSession } from '../../test/fixtures/minutes/fixtureNotes.js';
import { renderSessionHtml } from './html.js';

describe('HTML action item summary table', () => {
  it('due dates and status cells never wrap ("2016-06-" / "01", "☐ / open")', () => {
    const html = renderSessionHtml(jpSession());
    const body = /<tbody>(.*?)<\/tbody>/s.exec(html)![1]!;
    const rows = [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((r) => [...r[1]!.matchAll(/<td([^>]*)>/g)].map((c) => c[1]));
    expect(rows.length).toBeGreaterThan(0);
    for (const cells of rows) expect(cells).toEqual(['', '', ' class="nowrap"', ' class="nowrap"']);
    expect(html).toMatch(/\.nowrap \{[^}]*white-space: nowrap/);
  });
});
