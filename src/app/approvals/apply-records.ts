/** Recording how an apply ended, as transitions of the requests (in one batch), then telling people. */
import type { AccessRequest, RequestEvent } from '../../core/requests/index.js';
import type { WorkerNews } from './worker-news.js';
import type { WorkerDeps } from './worker-types.js';

export class ApplyRecords {
  constructor(
    private readonly deps: Pick<WorkerDeps, 'store' | 'logger'>,
    private readonly news: WorkerNews,
  ) {}

  /** The rule is on the registry: `before`/`after` are its rules around the write (core decides who owns what). */
  async applied(
    requests: AccessRequest[],
    before: string[],
    after: string[],
    correlationId: string | null,
  ): Promise<void> {
    const out = await this.deps.store.transitionAll(
      requests.map((r) => ({
        requestId: r.id,
        event: { type: 'applied', before, after, correlationId } as RequestEvent,
      })),
    );
    if (!out.ok) {
      this.deps.logger.error({ requestId: out.request?.id, code: out.code }, 'could not mark requests applied');
      return;
    }
    this.news.applied(out.results.map((r) => r.request));
  }

  /** The requests that are still applying fail: retryable ones get a Retry button. */
  async failed(requests: AccessRequest[], message: string, retryable: boolean): Promise<void> {
    const applying = requests.filter((r) => r.status === 'applying');
    if (applying.length === 0) return;
    const out = await this.deps.store.transitionAll(
      applying.map((r) => ({ requestId: r.id, event: { type: 'fail', error: message, retryable } as RequestEvent })),
    );
    if (!out.ok) {
      this.deps.logger.error({ requestId: out.request?.id, code: out.code }, 'could not mark requests failed');
      return;
    }
    this.deps.logger.warn({ requests: applying.map((r) => r.id), retryable, error: message }, 'apply failed');
    this.news.failed(
      out.results.map((r) => r.request),
      message,
      retryable,
    );
  }
}
