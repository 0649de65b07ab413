import { describe, expect, it } from 'vitest';
import { lazyNotesSchema, lazySchema } from './notesSchemaLoader.js';

describe('the editor schema, loaded on first use', () => {
  it('builds once for any number of callers, and a build that failed is tried again by the next one', async () => {
    let builds = 0;
    const fake = { tag: 'schema' } as unknown as Awaited<ReturnType<ReturnType<typeof lazySchema>>>;
    const load = lazySchema(() => (++builds === 1 ? Promise.reject(new Error('disk hiccup')) : Promise.resolve(fake)));
    await expect(load()).rejects.toThrow('disk hiccup');
    const [a, b] = await Promise.all([load(), load()]);
    expect(a).toBe(fake);
    expect(b).toBe(fake);
    expect(await load()).toBe(fake);
    expect(builds).toBe(2);
  });

  it("is the editor's own schema", async () => {
    const schema = await lazyNotesSchema()();
    expect(Object.keys(schema.nodes)).toEqual(expect.arrayContaining(['doc', 'paragraph', 'heading', 'taskList', 'taskItem']));
  });
});
