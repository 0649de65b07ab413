import type { Schema } from '@tiptap/pm/model';

/**
 * The editor schema, built on first use. Tiptap and ProseMirror cost a server
 * about 12 MiB of RSS (heap and compiled code, measured), and a server that
 * only syncs, stores and tags notes never needs them: exports, imports,
 * history views and setting a template do, and load them then.
 */
export type SchemaLoader = () => Promise<Schema>;

/** Builds once; a build that failed is tried again by the next caller. */
export function lazySchema(build: () => Promise<Schema>): SchemaLoader {
  let pending: Promise<Schema> | null = null;
  return () => {
    pending ??= build().catch((err: unknown) => {
      pending = null;
      throw err;
    });
    return pending;
  };
}

export function lazyNotesSchema(): SchemaLoader {
  return lazySchema(async () => (await import('./notesSchema.js')).createNotesSchema());
}

/** A schema already built (tests, the command-line export), as a loader. */
export function loadedSchema(schema: Schema): SchemaLoader {
  return () => Promise.resolve(schema);
}
