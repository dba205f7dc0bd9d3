/** Every ARM request the emulator answered, so tests and the benchmark can count calls. Control calls are not logged. */

export interface LoggedRequest {
  seq: number;
  method: string;
  /** Path as the client sent it (original case), without the query. */
  path: string;
  /** The api-version query parameter, or null. */
  apiVersion: string | null;
  status: number;
  /** ISO time the request arrived. */
  time: string;
  durationMs: number;
  /** Parsed JSON body of PATCH/PUT/POST requests (e.g. to check that a PATCH sent only networkRuleSet). */
  body?: unknown;
  /** Which fault, if any, answered or delayed it. */
  faultId?: string;
}

export interface RequestFilter {
  method?: string;
  /** Case-insensitive substring of the path, or a pattern tested against it. */
  path?: string | RegExp;
  status?: number;
}

export function matchesPath(path: string, pattern: string | RegExp): boolean {
  return typeof pattern === 'string' ? path.toLowerCase().includes(pattern.toLowerCase()) : pattern.test(path);
}

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;
  /** Bounded so a long-running emulator (npm run demo) does not grow without limit. */
  constructor(private readonly max = 10_000) {}

  add(entry: Omit<LoggedRequest, 'seq'>): LoggedRequest {
    const e = { seq: ++this.seq, ...entry };
    this.entries.push(e);
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
    return e;
  }

  list(filter: RequestFilter = {}): LoggedRequest[] {
    return this.entries.filter(
      (e) =>
        (!filter.method || e.method === filter.method.toUpperCase()) &&
        (filter.path === undefined || matchesPath(e.path, filter.path)) &&
        (filter.status === undefined || e.status === filter.status),
    );
  }

  count(filter: RequestFilter = {}): number {
    return this.list(filter).length;
  }

  clear(): void {
    this.entries = [];
  }
}
