export const SERVER_OUT: string;
export const BUNDLE_DIR: string;
export function bundleArgs(entries: string[], outdir: string): string[];
export function runEsbuild(root: string, args: string[]): void;
export function serverBuildIsStale(root: string): boolean;
export function buildServer(root: string): void;
