export const SERVER_OUT: string;
export function serverBuildIsStale(root: string): boolean;
export function buildServer(root: string): void;
