import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from './database.js';
import { createSqliteDocStore } from './docStore.js';
import { docStoreContract } from './docStoreContract.js';

docStoreContract('SQLite', async (opts) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-docstore-contract-'));
  const db = openDatabase(dir);
  return {
    store: createSqliteDocStore(db, opts),
    close() {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
