/**
 * The program a worker thread evaluates to run `name`, a module next to
 * `from` (the caller's import.meta.url). Compiled (`npm start`), the sibling
 * is plain JavaScript and loads as is; from the TypeScript sources (tests,
 * tsx), the worker starts without the parent's loader, so it registers tsx
 * first.
 */
export function workerBoot(from: string, name: string): string {
  if (from.endsWith('.js')) return `import(${JSON.stringify(new URL(`./${name}.js`, from).href)});`;
  const entry = new URL(`./${name}.ts`, from).href;
  return `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
}
