import fs from 'node:fs';
import path from 'node:path';

/** Which file a path names (or an open descriptor holds): device and inode. */
export interface FileIdentity {
  dev: number;
  ino: number;
}

/** The identity of the file at `filePath` now, or null when nothing is there. */
export function pathIdentity(filePath: string): FileIdentity | null {
  try {
    const st = fs.statSync(filePath);
    return { dev: st.dev, ino: st.ino };
  } catch {
    return null;
  }
}

/**
 * The identity of the file this process holds open under `filePath`: on
 * Linux, by fstat-ing the descriptor /proc/self/fd lists for it (that is the
 * file SQLite really writes to, whatever the path names now); elsewhere, the
 * path's identity, read right after opening. Null when no such file is open.
 */
export function openFileIdentity(filePath: string): FileIdentity | null {
  const resolved = path.resolve(filePath);
  let wanted = resolved;
  try {
    // /proc shows real paths: resolve symbolic links in the directory part (the file itself may be gone).
    wanted = path.join(fs.realpathSync(path.dirname(resolved)), path.basename(resolved));
  } catch {
    // keep the plain path
  }
  let fds: string[];
  try {
    fds = fs.readdirSync('/proc/self/fd');
  } catch {
    return pathIdentity(resolved);
  }
  for (const fd of fds) {
    let target: string;
    try {
      target = fs.readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue;
    }
    // An unlinked file still open reads "<path> (deleted)".
    if (target !== wanted && target !== `${wanted} (deleted)`) continue;
    try {
      const st = fs.fstatSync(Number(fd));
      return { dev: st.dev, ino: st.ino };
    } catch {
      continue;
    }
  }
  return null;
}

export function sameFile(a: FileIdentity | null, b: FileIdentity | null): boolean {
  return a !== null && b !== null && a.dev === b.dev && a.ino === b.ino;
}
