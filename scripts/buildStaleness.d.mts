export function newestMtime(dir: string): number;
export function buildIsStale(builtFile: string, sources: { dirs?: readonly string[]; files?: readonly string[] }): boolean;
