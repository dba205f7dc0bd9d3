/**
 * The load generator (autocannon 9, which ships no types): a fixed duration at full speed or at a fixed rate, each
 * request built by a function (new ids per request), the latency of every 2xx answer kept. Bounded in time.
 */
import { createRequire } from 'node:module';

interface Result {
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (
  opts: {
    url: string;
    method: string;
    connections: number;
    duration: number;
    timeout: number;
    overallRate?: number;
    requests: Array<{ method: string; setupRequest: (req: Record<string, unknown>) => Record<string, unknown> }>;
  },
  done: (err: Error | null, res: Result) => void,
) => { on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void };
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadOptions {
  url: string;
  seconds: number;
  connections?: number;
  /** Requests per second over all connections; full speed when absent. */
  rate?: number;
  /** Body and headers of the next request. */
  next: () => { body: string; headers: Record<string, string> };
}

export interface LoadRun {
  ok: number;
  /** Non-2xx answers, socket errors and timeouts. */
  bad: number;
  /** Wall time of the run in seconds. */
  seconds: number;
  /** Latencies of the 2xx answers in ms, ascending. */
  latencies: number[];
}

export async function load(options: LoadOptions): Promise<LoadRun> {
  const latencies: number[] = [];
  const t0 = performance.now();
  const r = await new Promise<Result>((resolve, reject) => {
    const inst = autocannon(
      {
        url: options.url,
        method: 'POST',
        connections: options.connections ?? 10,
        duration: options.seconds,
        timeout: 10,
        ...(options.rate ? { overallRate: options.rate } : {}),
        requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, ...options.next() }) }],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    inst.on('response', (_c, status, _b, ms) => {
      if (status >= 200 && status < 300) latencies.push(ms);
    });
  });
  latencies.sort((a, b) => a - b);
  return {
    ok: r['2xx'],
    bad: r.non2xx + r.errors + r.timeouts,
    seconds: (performance.now() - t0) / 1000,
    latencies,
  };
}
