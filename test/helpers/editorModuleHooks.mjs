// Module hooks for editorModuleLog.mjs: runs on Node's loader thread.
const seen = new Set();

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  const m = /node_modules\/(@tiptap\/[^/]+|prosemirror-[^/]+)\//.exec(resolved.url);
  if (m && !seen.has(m[1])) {
    seen.add(m[1]);
    process.stderr.write(`editor module loaded: ${m[1]}\n`);
  }
  return resolved;
}
