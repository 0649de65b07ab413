// `node --import <this file>`: says on stderr when the process (or one of its
// worker threads) first loads Tiptap or ProseMirror, so a test can tell
// whether the server needed the editor schema for what it did.
import { register } from 'node:module';

register(new URL('./editorModuleHooks.mjs', import.meta.url));
