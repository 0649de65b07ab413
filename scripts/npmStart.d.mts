export interface StartCommand {
  /** Variables the start script sets for the node process (before `node`). */
  env: Record<string, string>;
  nodeFlags: string[];
  launcher: string;
}
export function parseStartScript(start: string, root: string): StartCommand;
export function npmStartCommand(root: string): StartCommand;
