import type { ActionItemRepo } from '../storage/actionItemRepo.js';

/**
 * The action-item index as the live tagger sees it, with new items counted:
 * an upsert whose id the index does not hold yet is a line newly recognised
 * as an action item. Everything else is the repository itself.
 */
export function countNewActionItems(repo: ActionItemRepo, tagged: (count: number) => void): ActionItemRepo {
  const observed = Object.create(repo) as ActionItemRepo;
  observed.apply = (upserts, removedIds, now, moved) => {
    let fresh = 0;
    for (const u of upserts) if (repo.find(u.id) === undefined) fresh++;
    repo.apply(upserts, removedIds, now, moved);
    if (fresh > 0) tagged(fresh);
  };
  return observed;
}
