import type { ActionItemStore } from '../storage/ports.js';

/**
 * The action-item index as the live tagger sees it, with new items counted:
 * an upsert whose id the index does not hold yet is a line newly recognised
 * as an action item. Everything else is the repository itself.
 */
export function countNewActionItems(repo: ActionItemStore, tagged: (count: number) => void): ActionItemStore {
  const observed = Object.create(repo) as ActionItemStore;
  observed.apply = async (upserts, removedIds, now, moved) => {
    let fresh = 0;
    for (const u of upserts) if ((await repo.find(u.id)) === undefined) fresh++;
    await repo.apply(upserts, removedIds, now, moved);
    if (fresh > 0) tagged(fresh);
  };
  return observed;
}
