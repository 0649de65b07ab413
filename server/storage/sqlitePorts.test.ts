import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from './database.js';
import { createSqliteDocStore } from './docStore.js';
import { openSqlitePorts } from './openStorage.js';
import { describeStoragePorts } from './ports.contract.js';

describeStoragePorts('SQLite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-ports-'));
  const db = openDatabase(dir);
  return {
    ports: { docs: createSqliteDocStore(db), ...openSqlitePorts(db) },
    close: () => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
