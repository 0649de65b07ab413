/**
 * A one-line progress bar on a terminal; on a pipe or a log file, where
 * carriage returns would pile up, one plain line per step instead.
 */
export function createProgressBar(stream: NodeJS.WriteStream, width = 28): { update(done: number, total: number, label: string): void; finish(): void } {
  const tty = stream.isTTY === true;
  let drawn = false;
  return {
    update(done, total, label) {
      const ratio = total > 0 ? Math.min(1, done / total) : 1;
      const count = `${String(done).padStart(String(total).length)}/${total}`;
      if (!tty) {
        stream.write(`[${count}] ${label}\n`);
        return;
      }
      const filled = Math.round(ratio * width);
      const columns = stream.columns || 80;
      const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count} ${label}`;
      stream.write(`\r\x1b[2K${[...line].slice(0, columns - 1).join('')}`);
      drawn = true;
    },
    finish() {
      if (tty && drawn) stream.write('\n');
    },
  };
}
