import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../test/helpers/chromium.js';

/**
 * Renders the panels of docs/grafana-dashboard.json from a real Prometheus,
 * as a PNG: each panel's own PromQL queried over the HTTP API (query_range
 * for time series, an instant query for stats), drawn as SVG in the
 * dashboard's grid, and screenshot in headless Chromium. Grafana itself is
 * not in Debian's archive, so this stands in for its renderer; the queries,
 * titles, units and layout are the dashboard's.
 *
 * Usage: tsx bench/dashboard/renderDashboard.ts --prometheus http://127.0.0.1:9099 --start <unix s> --end <unix s> [--out docs/dashboard.png]
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    prometheus: { type: 'string', default: 'http://127.0.0.1:9099' },
    start: { type: 'string' },
    end: { type: 'string' },
    out: { type: 'string', default: path.join(root, 'docs/dashboard.png') },
    dashboard: { type: 'string', default: path.join(root, 'docs/grafana-dashboard.json') },
  },
});

interface Target {
  expr: string;
  legendFormat: string;
}
interface Panel {
  type: 'timeseries' | 'stat';
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  fieldConfig: { defaults: { unit: string } };
  targets: Target[];
}
interface Series {
  name: string;
  points: [number, number][];
}

const end = Number(values.end ?? Math.floor(Date.now() / 1000));
const start = Number(values.start ?? end - 1800);
const step = Math.max(5, Math.round((end - start) / 240));
const dashboard = JSON.parse(fs.readFileSync(values.dashboard, 'utf8')) as { title: string; panels: Panel[] };
const resolve = (expr: string) => expr.replace(/\$instance/g, '.*');

async function promql(kind: 'query' | 'query_range', params: Record<string, string>) {
  const url = `${values.prometheus}/api/v1/${kind}?${new URLSearchParams(params)}`;
  const body = (await (await fetch(url)).json()) as { status: string; error?: string; data: { result: { metric: Record<string, string>; values?: [number, string][]; value?: [number, string] }[] } };
  if (body.status !== 'success') throw new Error(`${params.query}: ${body.error}`);
  return body.data.result;
}

const legend = (format: string, metric: Record<string, string>) => format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => metric[k] ?? '');

function formatValue(v: number, unit: string): string {
  if (!Number.isFinite(v)) return '–';
  const fixed = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));
  switch (unit) {
    case 's':
      return v >= 60 ? `${fixed(v / 60)} min` : v >= 1 ? `${fixed(v)} s` : `${fixed(v * 1000)} ms`;
    case 'bytes':
      return `${fixed(v / 1024 / 1024)} MiB`;
    case 'Bps':
      return v >= 1024 * 1024 ? `${fixed(v / 1024 / 1024)} MiB/s` : `${fixed(v / 1024)} KiB/s`;
    case 'ops':
    case 'reqps':
      return `${fixed(v)}/s`;
    default:
      return Number.isInteger(v) ? String(v) : fixed(v);
  }
}

const COLORS = ['#73bf69', '#f2cc0c', '#8ab8ff', '#ff780a', '#f2495c', '#5794f2', '#b877d9', '#fade2a', '#37872d', '#c4162a'];
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function chart(series: Series[], unit: string, width: number, height: number): string {
  const all = series.flatMap((s) => s.points.map((p) => p[1])).filter(Number.isFinite);
  if (all.length === 0) return `<div class="nodata">No data</div>`;
  const max = Math.max(...all, 0) * 1.1 || 1;
  const min = Math.min(0, ...all);
  const x = (t: number) => 58 + ((t - start) / (end - start)) * (width - 70);
  const y = (v: number) => 6 + (1 - (v - min) / (max - min)) * (height - 26);
  const grid = [0, 0.5, 1]
    .map((f) => {
      const v = min + f * (max - min);
      return `<line x1="58" x2="${width - 8}" y1="${y(v)}" y2="${y(v)}" class="grid"/><text x="54" y="${y(v) + 4}" class="axis" text-anchor="end">${esc(formatValue(v, unit))}</text>`;
    })
    .join('');
  const times = [0, 0.5, 1]
    .map((f) => {
      const t = start + f * (end - start);
      const label = new Date(t * 1000).toISOString().slice(11, 16);
      return `<text x="${x(t)}" y="${height - 4}" class="axis" text-anchor="${f === 0 ? 'start' : f === 1 ? 'end' : 'middle'}">${label}</text>`;
    })
    .join('');
  const lines = series
    .map((s, i) => {
      const segs: string[] = [];
      let cur: string[] = [];
      for (const [t, v] of s.points) {
        if (!Number.isFinite(v)) {
          if (cur.length) segs.push(cur.join(' '));
          cur = [];
          continue;
        }
        cur.push(`${x(t).toFixed(1)},${y(v).toFixed(1)}`);
      }
      if (cur.length) segs.push(cur.join(' '));
      return segs.map((pts) => `<polyline points="${pts}" fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.6"/>`).join('');
    })
    .join('');
  return `<svg width="${width}" height="${height}">${grid}${times}${lines}</svg>`;
}

const CELL_W = 58;
const ROW_H = 30;
const html: string[] = [];
for (const p of dashboard.panels) {
  const w = p.gridPos.w * CELL_W - 8;
  const h = p.gridPos.h * ROW_H - 8;
  const unit = p.fieldConfig.defaults.unit;
  let body: string;
  if (p.type === 'stat') {
    // The dashboard's stat calculation: the last value that is not null.
    const r = await promql('query_range', { query: resolve(p.targets[0]!.expr), start: String(start), end: String(end), step: String(step) });
    const points = (r[0]?.values ?? []).map(([, v]) => Number(v)).filter(Number.isFinite);
    const v = points.at(-1) ?? NaN;
    body = `<div class="stat">${esc(formatValue(v, unit))}</div>`;
  } else {
    const series: Series[] = [];
    for (const t of p.targets) {
      for (const r of await promql('query_range', { query: resolve(t.expr), start: String(start), end: String(end), step: String(step) })) {
        series.push({ name: legend(t.legendFormat, r.metric) || t.expr, points: (r.values ?? []).map(([ts, v]) => [ts, Number(v)]) });
      }
    }
    series.sort((a, b) => a.name.localeCompare(b.name));
    const shown = series.slice(0, 8);
    const legendRows = Math.ceil(shown.length / 3);
    const legendHtml = shown.map((s, i) => `<span><i style="background:${COLORS[i % COLORS.length]}"></i>${esc(s.name)}</span>`).join('');
    body = `${chart(shown, unit, w - 12, h - 34 - 14 * legendRows)}<div class="legend">${legendHtml}${series.length > shown.length ? `<span>+${series.length - shown.length} more</span>` : ''}</div>`;
  }
  html.push(
    `<div class="panel" style="left:${p.gridPos.x * CELL_W}px;top:${p.gridPos.y * ROW_H + 44}px;width:${w}px;height:${h}px"><div class="title">${esc(p.title)}</div>${body}</div>`,
  );
}
const bottom = Math.max(...dashboard.panels.map((p) => p.gridPos.y + p.gridPos.h)) * ROW_H + 44;
const range = `${new Date(start * 1000).toISOString().slice(0, 16).replace('T', ' ')} – ${new Date(end * 1000).toISOString().slice(11, 16)} UTC`;
const page = `<!doctype html><meta charset="utf-8"><style>
body{margin:0;background:#111217;font:12px/1.3 'DejaVu Sans',sans-serif;color:#ccccdc}
.head{position:absolute;left:0;top:8px;font-size:15px;color:#fff}.head small{color:#8e8e9e;font-size:11px;margin-left:10px}
.panel{position:absolute;background:#181b1f;border:1px solid #2c3235;border-radius:3px;padding:6px;box-sizing:border-box;overflow:hidden}
.title{font-weight:600;margin-bottom:4px;color:#d8d9da}.stat{font-size:30px;color:#73bf69;text-align:center;margin-top:14px}
.grid{stroke:#2c3235;stroke-width:1}.axis{fill:#8e8e9e;font-size:10px}.legend{font-size:10px;margin-top:2px}
.legend span{margin-right:10px;white-space:nowrap}.legend i{display:inline-block;width:10px;height:3px;margin-right:4px;vertical-align:middle}
.nodata{color:#8e8e9e;text-align:center;margin-top:40px}
</style><div style="position:relative;margin:8px;width:${24 * CELL_W}px;height:${bottom}px">
<div class="head">${esc(dashboard.title)}<small>docs/grafana-dashboard.json, every panel's query run against Prometheus over its HTTP API · ${range} · the demo event driven by the bench's clients</small></div>
${html.join('\n')}</div>`;

const browser = await launchChromium();
try {
  const tab = await browser.newPage({ viewport: { width: 24 * CELL_W + 16, height: bottom + 16 } });
  await tab.setContent(page);
  await tab.screenshot({ path: values.out, fullPage: true });
  console.info(`wrote ${values.out}`);
} finally {
  await browser.close();
}
