export function npmStartCommand(root: string): { nodeFlags: string[]; launcher: string };
