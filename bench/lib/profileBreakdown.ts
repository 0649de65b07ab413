/**
 * Where the event loop's time went, from a V8 CPU profile of the measured
 * window: each sample is charged to the innermost stage on its stack, so the
 * stages add up to the busy time. Stages are recognised by function name and
 * file, which keeps this readable and good enough to know where to look.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber?: number; columnNumber?: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

interface Stage {
  name: string;
  matches(fn: string, url: string): boolean;
}

const inFile = (part: string) => (_fn: string, url: string) => url.includes(part);
const named = (...names: string[]) => (fn: string) => names.includes(fn);

/** Innermost first: a sample inside `applyUpdate` called from `handleMessage` counts as apply. */
const STAGES: Stage[] = [
  { name: 'validate (protocol, limits, admission)', matches: (fn, url) => url.includes('updateValidation') || url.includes('updateAdmission') || url.includes('awarenessGuard') || url.includes('docWriteGuard') },
  { name: 'apply (Yjs)', matches: named('applyUpdate', 'applyUpdateV2') },
  { name: 'storage (writer thread hand-off, file checks)', matches: (fn, url) => url.includes('docWriter') || url.includes('storageHealth') || url.includes('docStore') },
  { name: 'extensions (tagger, search, notes today, note-takers, history, metrics)', matches: (fn, url) => ['/actionItems/', '/search/', '/eventStream/', '/contributors/', '/history/', '/metrics/', '/ops/', 'prom-client'].some((p) => url.includes(p)) || fn === 'batchCommitted' },
  { name: 'fan-out (framing, socket writes)', matches: (fn, url) => (fn === 'committed' && url.includes('room')) || url.includes('wsFrame') || (fn === 'send' && url.includes('/ws/')) || fn === 'writev' || fn === 'writeUtf8String' || fn === 'writeBuffer' },
  { name: 'commit queue (batching, merging)', matches: inFile('commitQueue') },
  { name: 'receive (sockets, WebSocket frames, decoding)', matches: (fn, url) => url.includes('/ws/lib/receiver') || fn === 'onStreamRead' || url.includes('handleMessage') },
  { name: 'presence (awareness)', matches: (fn, url) => url.includes('awareness') },
];

export interface Breakdown {
  busyMs: number;
  idleMs: number;
  stages: { name: string; ms: number }[];
}

export function profileBreakdown(profile: CpuProfile): Breakdown {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stageOf = new Map<number, string>();
  const classify = (id: number): string => {
    const known = stageOf.get(id);
    if (known) return known;
    const path: number[] = [];
    let cur: number | undefined = id;
    let found = 'other (timers, GC, runtime)';
    while (cur !== undefined) {
      const memo = stageOf.get(cur);
      if (memo) {
        found = memo;
        break;
      }
      path.push(cur);
      const { functionName, url } = byId.get(cur)!.callFrame;
      if (functionName === '(idle)') {
        found = 'idle';
        break;
      }
      if (functionName === '(program)' || functionName === '(garbage collector)') {
        found = 'other (timers, GC, runtime)';
        break;
      }
      if (url.includes('inspector') || functionName === 'dispatch') {
        found = 'profiler';
        break;
      }
      const stage = STAGES.find((s) => s.matches(functionName, url));
      if (stage) {
        found = stage.name;
        break;
      }
      cur = parent.get(cur);
    }
    for (const p of path) stageOf.set(p, found);
    return found;
  };
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const stage = classify(id);
    totals.set(stage, (totals.get(stage) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const idleMs = totals.get('idle') ?? 0;
  const profilerMs = totals.get('profiler') ?? 0;
  totals.delete('idle');
  totals.delete('profiler');
  const stages = [...totals].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
  return { busyMs: stages.reduce((a, s) => a + s.ms, 0), idleMs: idleMs + profilerMs, stages };
}
