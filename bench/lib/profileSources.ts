import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SourceMapConsumer, type RawSourceMap } from 'source-map-js';
import type { CpuProfile } from './profileBreakdown.js';

/**
 * The profile with each frame of a bundled file named by the module it came
 * from, read from the bundle's source map (`<file>.map`, written next to it
 * by the bench's bundle, never loaded by the server). The breakdown tells the
 * stages apart by module path (commitQueue, docWriter, /actionItems/, …); in
 * one bundle every frame would otherwise name the same file. Frames with no
 * map, or no mapping, keep their URL.
 */
export function withSourcePaths(profile: CpuProfile): CpuProfile {
  const consumers = new Map<string, SourceMapConsumer | null>();
  const consumerFor = (url: string): SourceMapConsumer | null => {
    let consumer = consumers.get(url);
    if (consumer !== undefined) return consumer;
    consumer = null;
    if (url.startsWith('file://')) {
      const mapFile = `${fileURLToPath(url)}.map`;
      if (fs.existsSync(mapFile)) consumer = new SourceMapConsumer(JSON.parse(fs.readFileSync(mapFile, 'utf8')) as RawSourceMap);
    }
    consumers.set(url, consumer);
    return consumer;
  };
  return {
    ...profile,
    nodes: profile.nodes.map((node) => {
      const { url, lineNumber, columnNumber } = node.callFrame;
      const consumer = lineNumber !== undefined && lineNumber >= 0 ? consumerFor(url) : null;
      if (!consumer) return node;
      // V8's positions are 0-based; source maps count lines from 1 and columns from 0.
      const original = consumer.originalPositionFor({ line: lineNumber! + 1, column: columnNumber ?? 0 });
      return original.source ? { ...node, callFrame: { ...node.callFrame, url: original.source } } : node;
    }),
  };
}
