// `npm start`'s command line as package.json spells it, so the benches and
// tests run the server exactly as `npm start` does: the same node flags (V8's
// heap sizing) and the same launcher.
import fs from 'node:fs';
import path from 'node:path';

/** `node <flags> <launcher>` from package.json's start script; the launcher as an absolute path. */
export function npmStartCommand(root) {
  const start = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts?.start ?? '';
  const [cmd, ...args] = start.trim().split(/\s+/);
  const launcher = args.pop();
  if (cmd !== 'node' || !launcher || args.some((a) => !a.startsWith('--'))) throw new Error(`package.json: expected "start": "node [--flags] <launcher>", got ${JSON.stringify(start)}`);
  return { nodeFlags: args, launcher: path.join(root, launcher) };
}
