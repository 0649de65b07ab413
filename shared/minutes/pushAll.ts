/**
 * Appends every item. `out.push(...items)` passes each item as an argument
 * and throws a RangeError past about 100,000 of them: an 11 MB session's
 * lines are far more.
 */
export function pushAll<T>(out: T[], items: Iterable<T>): T[] {
  for (const item of items) out.push(item);
  return out;
}
