export const ROLES = ['view', 'edit', 'moderate'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { view: 0, edit: 1, moderate: 2 };

/** Moderate implies edit, and edit implies view. */
export function roleAllows(granted: Role, needed: Role): boolean {
  return RANK[granted] >= RANK[needed];
}
