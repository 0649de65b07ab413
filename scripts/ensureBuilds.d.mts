export function ensureBuilds(root: string, say: (what: string) => void): void;
