export interface StartCommand {
  env: Record<string, string>;
  nodeFlags: string[];
  launcher: string;
}
export function npmStartCommand(root: string): StartCommand;
export function parseStartScript(start: string, root: string): StartCommand;
