import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from './database.js';
import { describeSearchIndex } from './searchIndex.contract.js';
import { SearchRepo } from './searchRepo.js';

describeSearchIndex('SQLite (FTS5 trigram)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-search-'));
  const db = openDatabase(dir);
  return {
    repo: new SearchRepo(db),
    close: () => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
