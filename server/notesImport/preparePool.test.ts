import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../shared/errors.js';
import { createNotesSchema } from '../notesSchema.js';
import { loadedSchema } from '../notesSchemaLoader.js';
import { DomainError } from '../domainError.js';
import { createImportWorker } from './preparePool.js';

const schema = createNotesSchema();

describe('createImportWorker', () => {
  it('converts and counts in a worker thread; refusals come back as the same HTTP errors', { timeout: 30_000 }, async () => {
    const pool = createImportWorker(loadedSchema(schema));
    try {
      const { converted, summary } = await pool.prepare({ text: '# Agenda\n- [ ] @dana send it by 5/17', format: 'md', sessionDate: '2016-04-25' });
      expect(converted.doc.type.schema).toBe(schema);
      expect(converted.doc.child(0).type.name).toBe('heading');
      expect(summary.actionItems).toEqual([{ text: '@dana send it by 5/17', owners: ['dana'], due: '2016-05-17', status: 'open' }]);
      const refused = await pool.prepare({ text: '{"pad:x": 1}', format: 'etherpad', sessionDate: null }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(DomainError);
      // The HTTP layer answers a domain error with its registered status.
      const code = (refused as DomainError).code;
      expect({ status: ERRORS[code].status, code }).toMatchObject({ status: 422, code: 'invalid_import' });
    } finally {
      await pool.close();
    }
  });

  it('a job sent to a new worker survives the exit of the idle one stopped just before', { timeout: 60_000 }, async () => {
    const pool = createImportWorker(loadedSchema(schema), { idleMs: 1 });
    try {
      for (let i = 0; i < 2; i++) {
        await pool.prepare({ text: `line ${i}`, format: 'txt', sessionDate: null });
        // Let the idle timer stop the worker; its exit event arrives while the next job is running.
        await new Promise((r) => setTimeout(r, 5));
      }
      const last = await pool.prepare({ text: 'last', format: 'txt', sessionDate: null });
      expect(last.summary.lines).toBe(1);
    } finally {
      await pool.close();
    }
  });
});
