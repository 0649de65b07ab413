import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runEsbuild } from '../../scripts/serverBuild.mjs';
import type { CpuProfile } from './profileBreakdown.js';
import { withSourcePaths } from './profileSources.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** V8's 0-based line and column of the first occurrence of `text` in `file`. */
function positionOf(file: string, text: string): { lineNumber: number; columnNumber: number } {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const lineNumber = lines.findIndex((l) => l.includes(text));
  return { lineNumber, columnNumber: lines[lineNumber]!.indexOf(text) };
}

describe('withSourcePaths: profiled frames of a bundle named by their module', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('maps each frame through the bundle’s source map; frames without a map keep their URL', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-profile-sources-'));
    dirs.push(dir);
    fs.mkdirSync(path.join(dir, 'src', 'collab'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'src', 'collab', 'commitQueue.js'), 'export function flushOnce(xs) { return xs.map((x) => x * 2).join(","); }\n');
    fs.writeFileSync(path.join(dir, 'src', 'main.js'), 'import { flushOnce } from "./collab/commitQueue.js";\nexport function handleMessage(m) { return flushOnce([m, m + 1]); }\nconsole.log(handleMessage(Number(process.argv[2])));\n');
    runEsbuild(root, [path.join(dir, 'src', 'main.js'), '--bundle', '--format=esm', '--platform=node', `--outdir=${path.join(dir, 'out')}`, '--sourcemap=external', '--log-level=warning']);
    const bundle = path.join(dir, 'out', 'main.js');
    const url = pathToFileURL(bundle).href;
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 }, children: [2, 3, 4] },
        { id: 2, callFrame: { functionName: 'flushOnce', url, ...positionOf(bundle, 'function flushOnce') } },
        { id: 3, callFrame: { functionName: 'handleMessage', url, ...positionOf(bundle, 'function handleMessage') } },
        { id: 4, callFrame: { functionName: 'emit', url: 'node:events', lineNumber: 10, columnNumber: 2 } },
      ],
      samples: [2, 3, 4],
      timeDeltas: [1, 1, 1],
    };
    const mapped = withSourcePaths(profile).nodes.map((n) => n.callFrame.url);
    expect(mapped[0]).toBe('');
    expect(mapped[1]).toMatch(/src\/collab\/commitQueue\.js$/);
    expect(mapped[2]).toMatch(/src\/main\.js$/);
    expect(mapped[3]).toBe('node:events');
    // The input is left as it was.
    expect(profile.nodes[1]!.callFrame.url).toBe(url);
  });
});
