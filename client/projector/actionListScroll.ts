/** A row of a scrolling list: its top and height, in the list's own coordinates. */
export interface ListRow {
  top: number;
  height: number;
}

/**
 * Where to scroll a list so that row `target` is in sight, ending the view
 * as close to it as whole rows allow: the first row shown is the earliest
 * one that still leaves `target` entirely visible. A row cut in half at the
 * top of a projected list reads as a glitch from the back of the room.
 */
export function scrollTopShowing(rows: readonly ListRow[], target: number, viewHeight: number): number {
  const row = rows[target];
  if (!row) return 0;
  const bottom = row.top + row.height;
  for (let i = 0; i < target; i++) {
    if (bottom - rows[i]!.top <= viewHeight) return rows[i]!.top;
  }
  return row.top;
}
