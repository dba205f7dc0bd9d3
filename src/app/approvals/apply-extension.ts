/** An approved extension: no ARM write, the grant's end moves (capped at policy's maximum from now). */
import { policyFor } from '../../core/policy/evaluate.js';
import type { Policy } from '../../core/policy/types.js';
import type { AccessRequest } from '../../core/requests/index.js';
import { failureOf } from './arm-errors.js';
import type { ApplyRecords } from './apply-records.js';
import type { WorkerNews } from './worker-news.js';
import type { WorkerDeps } from './worker-types.js';

export class ApplyExtension {
  constructor(
    private readonly deps: WorkerDeps,
    private readonly policy: Policy,
    private readonly records: ApplyRecords,
    private readonly news: WorkerNews,
  ) {}

  async apply(ext: AccessRequest): Promise<void> {
    const { store, gateway, clock } = this.deps;
    const grant = ext.extendsRequestId ? await store.getRequest(ext.extendsRequestId) : null;
    if (grant?.status !== 'applied' || grant.endsAt === null) {
      return this.records.failed([ext], 'the grant it extends has already ended; request access again', false);
    }
    let rules: string[];
    try {
      rules = (await gateway.readRegistry(grant.registry.id)).ipRules;
    } catch (err) {
      const f = failureOf(err);
      return this.records.failed([ext], f.message, f.retryable);
    }
    const now = clock.now().getTime();
    const maxMs = this.policy.configured ? policyFor(this.policy, grant.registry).durations.maxMs : 0;
    const wanted = Date.parse(grant.endsAt) + (ext.durationMs ?? 0);
    const endsAt = Math.min(wanted, now + maxMs);
    if (endsAt <= Date.parse(grant.endsAt))
      return this.records.failed([ext], 'the grant already lasts as long as policy allows from now', false);
    const out = await store.transitionAll([
      { requestId: ext.id, event: { type: 'applied', before: rules, after: rules, correlationId: null } },
      {
        requestId: grant.id,
        event: {
          type: 'extend',
          by: ext.requester,
          extensionRequestId: ext.id,
          endsAt: new Date(endsAt).toISOString(),
        },
      },
    ]);
    if (!out.ok) return this.records.failed([ext], out.reason, false);
    const [applied, extended] = out.results.map((r) => r.request) as [AccessRequest, AccessRequest];
    this.news.extended(applied, extended, endsAt < wanted);
  }
}
