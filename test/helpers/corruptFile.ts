import fs from 'node:fs';

/** Overwrites the b-tree header of an SQLite file's last page with garbage (a damaged sector). */
export function corruptLastPage(file: string, pageSize = 4096): void {
  const size = fs.statSync(file).size;
  const fd = fs.openSync(file, 'r+');
  try {
    fs.writeSync(fd, Buffer.alloc(64, 0xee), 0, 64, size - pageSize);
  } finally {
    fs.closeSync(fd);
  }
}
