// `npm start`'s command line as package.json spells it, so the benches and
// tests run the server exactly as `npm start` does: the same environment
// (glibc's malloc setting), node flags (V8's heap sizing) and launcher.
import fs from 'node:fs';
import path from 'node:path';

const ASSIGNMENT = /^([A-Z_][A-Z0-9_]*)=(\S*)$/;

/** Parses `[NAME=value …] node [--flags …] <launcher>`; the launcher as an absolute path. */
export function parseStartScript(start, root) {
  const words = start.trim().split(/\s+/);
  const env = {};
  while (words.length > 0 && ASSIGNMENT.test(words[0])) {
    const [, name, value] = ASSIGNMENT.exec(words.shift());
    env[name] = value;
  }
  const [cmd, ...args] = words;
  const launcher = args.pop();
  if (cmd !== 'node' || !launcher || args.some((a) => !a.startsWith('--'))) throw new Error(`package.json: expected "start": "[NAME=value …] node [--flags] <launcher>", got ${JSON.stringify(start)}`);
  return { env, nodeFlags: args, launcher: path.join(root, launcher) };
}

/** package.json's start script, parsed (parseStartScript). */
export function npmStartCommand(root) {
  const start = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts?.start ?? '';
  return parseStartScript(start, root);
}
