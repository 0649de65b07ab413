// `node --import <this file>`: says on stderr when the process (or one of its
// worker threads) first loads Tiptap or ProseMirror, so a test can tell
// whether the server needed the editor schema for what it did; and when it
// first loads one of dist-server's per-file modules instead of the bundle.
import { register } from 'node:module';

register(new URL('./editorModuleHooks.mjs', import.meta.url));
