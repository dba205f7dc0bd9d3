/**
 * Fault injection: rules matched by method and path that answer with an ARM error (429 with Retry-After, 5xx…),
 * add latency, or reset the connection; one-shot by default, N times, or until cleared.
 */
import { matchesPath } from './request-log.js';

export interface FaultSpec {
  /** HTTP method to match; any when absent. */
  method?: string;
  /** Case-insensitive substring of the request path (no query), or a RegExp. Absent = every ARM path. */
  path?: string | RegExp;
  /** Same as `path` as a RegExp source (case-insensitive), for the JSON control API. */
  pathPattern?: string;
  /** How many matching requests this fault answers (default 1). Use Infinity (JSON: null) until cleared. */
  times?: number | null;
  /** Let this many matching requests through untouched first. */
  skip?: number;
  /** Answer with this status and an ARM error body (a realistic code per status unless `code`/`message`/`body`). */
  status?: number;
  code?: string;
  message?: string;
  body?: unknown;
  /** Sent as `Retry-After` (seconds); 429s get 1 unless set. */
  retryAfterSeconds?: number;
  headers?: Record<string, string>;
  /** Wait this long first; without `status` the request is then served normally (latency). */
  delayMs?: number;
  /** Destroy the connection instead of answering (the client sees ECONNRESET). */
  reset?: boolean;
}

export interface ActiveFault {
  id: string;
  spec: FaultSpec;
  matched: number;
  fired: number;
}

let nextId = 0;

export class Faults {
  private rules: ActiveFault[] = [];

  add(spec: FaultSpec): string {
    const id = `fault-${++nextId}`;
    this.rules.push({
      id,
      spec: { ...spec, times: spec.times === null ? Infinity : (spec.times ?? 1) },
      matched: 0,
      fired: 0,
    });
    return id;
  }

  remove(id: string): void {
    this.rules = this.rules.filter((r) => r.id !== id);
  }

  clear(): void {
    this.rules = [];
  }

  list(): ActiveFault[] {
    return this.rules.map((r) => ({ ...r, spec: { ...r.spec } }));
  }

  /** The fault that takes this request, consuming one of its uses; exhausted faults drop out. */
  take(method: string, path: string): ActiveFault | null {
    for (const rule of this.rules) {
      const s = rule.spec;
      if (s.method && s.method.toUpperCase() !== method) continue;
      if (s.path !== undefined && !matchesPath(path, s.path)) continue;
      if (s.pathPattern !== undefined && !new RegExp(s.pathPattern, 'i').test(path)) continue;
      rule.matched += 1;
      if (rule.matched <= (s.skip ?? 0)) continue;
      rule.fired += 1;
      if (rule.fired >= (s.times ?? 1)) this.rules = this.rules.filter((r) => r !== rule);
      return rule;
    }
    return null;
  }
}
