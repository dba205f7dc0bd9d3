/**
 * Reads a `.cpuprofile` (what `node --cpu-prof` writes: a call tree of nodes, the node on top of the stack at each
 * sample, and the time between samples) and sums where the time went inside a window: self time per function, self
 * time per package (a dependency under node_modules, a directory of our dist/, Node's own modules, the garbage
 * collector), and the inclusive time of our own functions (what each costs with everything it calls).
 */
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Microseconds on the monotonic clock V8 stamps samples with (the same clock as process.hrtime on Linux). */
export interface Window {
  from: number;
  to: number;
}

export function nowMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Where a function lives: `pino`, `@slack/bolt`, `ours:adapters/teams`, `node:streams`, `(garbage collector)`. */
export function packageOf(frame: CallFrame, root: string): string {
  const url = frame.url;
  if (url === '') return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (url.startsWith('node:')) {
    const rest = url.slice(5).replace(/^internal\//, '');
    return `node:${rest.split('/')[0]}`;
  }
  const file = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = file.slice(nm + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const rel = path.relative(root, file);
  const m = /^(?:dist|src|[^/]+\/dist)\/(.*)$/.exec(rel);
  if (m) {
    const dir = path.dirname(m[1]!);
    return `ours:${dir === '.' ? m[1]! : dir}`;
  }
  return rel;
}

function label(frame: CallFrame, root: string): string {
  const file = frame.url.startsWith('file://') ? path.relative(root, new URL(frame.url).pathname) : frame.url;
  return `${frame.functionName || '(anonymous)'} ${file ? `${file}:${frame.lineNumber + 1}` : ''}`.trim();
}

export interface Summary {
  /** Sampled time inside the window, idle excluded, in ms. */
  busyMs: number;
  windowUsed: boolean;
  byFunction: Array<[string, number]>;
  byPackage: Array<[string, number]>;
  /** Our own functions (dist/), inclusive of what they call. */
  oursInclusive: Array<[string, number]>;
}

export function summarise(profile: CpuProfile, root: string, window?: Window): Summary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  let t = profile.startTime;
  const inWindow = window !== undefined && window.from < profile.endTime && window.to > profile.startTime;
  const self = new Map<string, number>();
  const pkg = new Map<string, number>();
  const incl = new Map<string, number>();
  let busy = 0;
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    const d = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (inWindow && (t < window.from || t > window.to)) continue;
    const node = byId.get(profile.samples[i]!)!;
    if (node.callFrame.functionName === '(idle)') continue;
    busy += d;
    add(self, label(node.callFrame, root), d);
    add(pkg, packageOf(node.callFrame, root), d);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      if (!packageOf(frame, root).startsWith('ours:')) continue;
      const key = label(frame, root);
      if (!seen.has(key)) {
        seen.add(key);
        add(incl, key, d);
      }
    }
  }
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return {
    busyMs: busy,
    windowUsed: inWindow,
    byFunction: sorted(self),
    byPackage: sorted(pkg),
    oursInclusive: sorted(incl),
  };
}

/**
 * The summary as text. Samples are taken on wall time, so on a busy machine their sum overstates CPU time; each
 * share is therefore shown as a percentage and as that share of `cpuMsPerMessage` (the server's CPU per message
 * from /proc, measured over the same window).
 */
export function formatSummary(s: Summary, cpuMsPerMessage: number, top = 25): string {
  const row = ([k, ms]: [string, number]) => {
    const share = ms / s.busyMs;
    return `  ${(100 * share).toFixed(1).padStart(5)} %  ${(share * cpuMsPerMessage).toFixed(3).padStart(7)} ms/msg  ${k}`;
  };
  return [
    `${s.busyMs.toFixed(0)} ms sampled${s.windowUsed ? ' inside the load window' : ' (whole process: window not found)'}; ms/msg = share × ${cpuMsPerMessage.toFixed(3)} ms CPU per message`,
    'self time by package:',
    ...s.byPackage.slice(0, top).map(row),
    'self time by function:',
    ...s.byFunction.slice(0, top).map(row),
    'our functions, inclusive:',
    ...s.oursInclusive.slice(0, top).map(row),
  ].join('\n');
}
