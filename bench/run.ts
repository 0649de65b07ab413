import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatTable, type Bench } from './table.js';

/**
 * `npm run bench [-- name …]`: runs every bench/*.bench.ts (or the named ones)
 * one after another and prints each result as a table. Long ones (the soak)
 * run only when named.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();

let failed = 0;
for (const file of files) {
  const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { default: Bench };
  const bench = mod.default;
  if (wanted.length ? !wanted.includes(bench.name) : bench.onlyWhenNamed) continue;
  console.info(`\n## ${bench.name} (${file})\n`);
  try {
    for (const table of await bench.run()) console.info(formatTable(table) + '\n');
  } catch (err) {
    failed++;
    console.error(`bench ${bench.name} failed:`, err instanceof Error ? err.stack : err);
  }
}
process.exit(failed ? 1 : 0);
