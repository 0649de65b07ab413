import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOpsConfig } from './opsConfig.js';

describe('loadOpsConfig', () => {
  it('has quiet defaults: metrics on the main port without a token, JSON logs, no scheduled backups', () => {
    expect(loadOpsConfig({}, '/data')).toEqual({ metricsToken: null, metricsPort: null, logFormat: 'json', backup: null });
  });

  it('reads the metrics port and token, pretty logs and a backup schedule with its directory and count', () => {
    const c = loadOpsConfig({ METRICS_TOKEN: 'x'.repeat(20), METRICS_PORT: '9464', LOG_FORMAT: 'pretty', BACKUP_EVERY: '1h', BACKUP_KEEP: '48' }, '/data');
    expect(c).toEqual({ metricsToken: 'x'.repeat(20), metricsPort: 9464, logFormat: 'pretty', backup: { everyMs: 3_600_000, dir: path.resolve('/data/backups'), keep: 48 } });
    expect(loadOpsConfig({ BACKUP_EVERY: '15m', BACKUP_DIR: '/mnt/b' }, '/data').backup).toEqual({ everyMs: 900_000, dir: '/mnt/b', keep: 24 });
  });

  it('lists every problem at once', () => {
    expect(() => loadOpsConfig({ METRICS_TOKEN: 'short', BACKUP_EVERY: '60', LOG_FORMAT: 'xml', BACKUP_KEEP: '0' }, '/data')).toThrow(
      /METRICS_TOKEN must be at least 16[\s\S]*LOG_FORMAT[\s\S]*BACKUP_EVERY must be a duration like 15m, 1h or 1d \(got "60"\)[\s\S]*BACKUP_KEEP/,
    );
    expect(() => loadOpsConfig({ BACKUP_EVERY: '30s' }, '/data')).toThrow(/BACKUP_EVERY must be at least 1 minute/);
  });
});
