/**
 * The store as the use cases see it when telemetry is on: every call a span (`store.<method>`, only inside a trace,
 * so the outbox and scheduler polls make none of their own), and the approval timings read from what a transition
 * committed: time to decision at `approved`/`denied`, time from the last approval to the verified rule at `applied`,
 * and each `apply_failed`. A repeat of an idempotent transition (`duplicate`) counts nothing.
 */
import type { AccessRequest, AuditEvent } from '../../core/requests/index.js';
import type { Store } from '../store.js';
import type { Telemetry } from './port.js';

const seconds = (from: string, to: string): number => Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);

function observeStep(t: Telemetry, request: AccessRequest, audit: AuditEvent): void {
  switch (audit.type) {
    case 'approved':
    case 'denied':
      t.decided(seconds(request.createdAt, audit.at));
      return;
    case 'applied': {
      const approvedAt = request.approvals.at(-1)?.at;
      if (approvedAt) t.applied(seconds(approvedAt, audit.at));
      return;
    }
    case 'apply_failed':
      t.applyFailed();
      return;
    default:
      return;
  }
}

type Outcome = {
  ok?: boolean;
  duplicate?: boolean;
  request?: AccessRequest;
  audit?: AuditEvent;
  results?: Array<{ request: AccessRequest; audit: AuditEvent }>;
};

function observeOutcome(t: Telemetry, out: unknown): void {
  const o = out as Outcome | null;
  if (o?.ok !== true || o.duplicate) return;
  if (o.request && o.audit) observeStep(t, o.request, o.audit);
  for (const r of o.results ?? []) observeStep(t, r.request, r.audit);
}

const TRANSITIONS = new Set(['transition', 'transitionAll']);

export function observeStore(store: Store, t: Telemetry): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      return (...args: unknown[]) =>
        t.span(
          `store.${prop}`,
          { 'db.system': target.kind === 'sqlite' ? 'sqlite' : 'postgresql', 'db.operation': prop },
          async () => {
            const out = await method.apply(target, args);
            if (TRANSITIONS.has(prop)) observeOutcome(t, out);
            return out;
          },
          { childOnly: true },
        );
    },
  });
}
