import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { MinutesRenderer } from '../minutes/renderPool.js';
import { RenderRefused } from '../minutes/renderPool.js';

/**
 * The export pool, observed: every minutes export counted by format and
 * outcome and timed, and the pool's workers and queue as gauges. It wraps the
 * renderer, so the routes and the pool stay as they are.
 */
export function observeExports(renderer: MinutesRenderer, registry: Registry): MinutesRenderer {
  const registers = [registry];
  const exports = new Counter({
    name: 'roundtable_exports_total',
    help: 'Minutes exports, by format and outcome (ok, refused: a limit or a full queue, failed).',
    labelNames: ['format', 'outcome'],
    registers,
  });
  const seconds = new Histogram({
    name: 'roundtable_export_seconds',
    help: 'Time to render one minutes export (waiting for a worker included), by format.',
    labelNames: ['format'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
    registers,
  });
  new Gauge({
    name: 'roundtable_exports_running',
    help: 'Minutes exports rendering now.',
    registers,
    collect() {
      this.set(renderer.stats().running);
    },
  });
  new Gauge({
    name: 'roundtable_exports_queued',
    help: 'Minutes exports waiting for a worker.',
    registers,
    collect() {
      this.set(renderer.stats().queued);
    },
  });
  return {
    async render(job) {
      const started = performance.now();
      const format = job.format;
      try {
        const bytes = await renderer.render(job);
        exports.inc({ format, outcome: 'ok' });
        seconds.observe({ format }, (performance.now() - started) / 1000);
        return bytes;
      } catch (err) {
        exports.inc({ format, outcome: err instanceof RenderRefused && err.code !== 'export_failed' ? 'refused' : 'failed' });
        throw err;
      }
    },
    stats: () => renderer.stats(),
    close: () => renderer.close(),
  };
}
