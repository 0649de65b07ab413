export function clientBuildIsStale(root: string): boolean;
export function buildClient(root: string): void;
