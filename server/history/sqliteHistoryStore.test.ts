import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../storage/database.js';
import { createSqliteDocStore } from '../storage/docStore.js';
import { describeHistoryStore } from './historyStore.contract.js';
import { SqliteHistoryStore } from './sqliteHistoryStore.js';

describeHistoryStore('SQLite', async ({ pauseMs, checkpointBytes, now }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-history-'));
  const db = openDatabase(dir);
  return {
    store: new SqliteHistoryStore(db, { pauseMs, now, policy: { minBytes: checkpointBytes, growth: 0.5, maxRevisions: 1000 } }),
    docs: createSqliteDocStore(db, { now }),
    close: () => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
