/**
 * Every metric the bot exports, defined once: name, kind, unit, labels and buckets (the README's metrics table says
 * the same). All are prefixed `acr_access_`; the Prometheus endpoint adds `_total` to nothing here, since the counters
 * already end in it.
 */
import type { Attributes, Meter, ObservableResult } from '@opentelemetry/api';
import type { GaugeValues, Telemetry } from '../../app/telemetry/port.js';

const MINUTE = 60;
const HOUR = 3_600;

export type MetricCalls = Omit<Telemetry, 'span' | 'spanSync'>;

/** Creates the instruments on `meter`; the gauges call `gauges()` at each collection. */
export function defineInstruments(meter: Meter, gauges: () => Promise<GaugeValues>): MetricCalls {
  const pastes = meter.createCounter('acr_access_pastes_total', {
    description: 'Messages holding at least one recognised ACR error, by platform and the primary finding kind.',
  });
  const diagnoses = meter.createCounter('acr_access_diagnoses_total', {
    description: 'Diagnoses answered, by cause.',
  });
  const replies = meter.createHistogram('acr_access_replies_seconds', {
    description: 'From a message arriving to its answer being ready, by platform.',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30] },
  });
  const decisions = meter.createHistogram('acr_access_decision_seconds', {
    description: 'From an access request to its approval or denial.',
    unit: 's',
    advice: { explicitBucketBoundaries: [MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 4 * HOUR, 8 * HOUR, 24 * HOUR] },
  });
  const applies = meter.createHistogram('acr_access_apply_seconds', {
    description: 'From the approval to the IP rule verified in the registry.',
    unit: 's',
    advice: { explicitBucketBoundaries: [5, 15, 30, MINUTE, 2 * MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR] },
  });
  const applyFailures = meter.createCounter('acr_access_apply_failures_total', {
    description: 'Firewall applies that failed (each failed attempt of a request).',
  });
  const arm = meter.createCounter('acr_access_arm_requests_total', {
    description: 'HTTP requests to Azure Resource Manager and Resource Graph, by operation and status.',
  });

  // The store-backed gauges share one read per collection.
  const requests = meter.createObservableGauge('acr_access_requests', {
    description: 'Access requests, by status.',
  });
  const grantsActive = meter.createObservableGauge('acr_access_grants_active', {
    description: 'Grants whose IP rule is in place now.',
  });
  const expiryLag = meter.createObservableGauge('acr_access_grant_expiry_lag_seconds', {
    description: 'How long the oldest grant past its end has waited for expiry or rule removal; 0 when none.',
    unit: 's',
  });
  const auditPending = meter.createObservableGauge('acr_access_audit_outbox_pending', {
    description: 'Audit events waiting for an outside sink (webhook, audit channel), by sink.',
  });
  meter.addBatchObservableCallback(
    async (result) => {
      const g = await gauges();
      for (const [status, n] of Object.entries(g.requests)) result.observe(requests, n, { status });
      result.observe(grantsActive, g.grantsActive);
      result.observe(expiryLag, g.grantExpiryLagSeconds);
      for (const [sink, n] of Object.entries(g.auditPending)) result.observe(auditPending, n, { sink });
    },
    [requests, grantsActive, expiryLag, auditPending],
  );

  const rules = new Map<string, number>();
  meter
    .createObservableGauge('acr_access_registry_ip_rules', {
      description: 'IP rules in use on a registry (of 200), from the latest read of it.',
    })
    .addCallback((result: ObservableResult<Attributes>) => {
      for (const [registry, n] of rules) result.observe(n, { registry });
    });

  return {
    pasted: (platform, kind) => pastes.add(1, { platform, kind }),
    diagnosed: (cause) => diagnoses.add(1, { cause }),
    replied: (platform, seconds) => replies.record(seconds, { platform }),
    decided: (seconds) => decisions.record(seconds),
    applied: (seconds) => applies.record(seconds),
    applyFailed: () => applyFailures.add(1),
    armRequest: (operation, status) => arm.add(1, { operation, status }),
    registryRules: (registry, count) => void rules.set(registry.toLowerCase(), count),
  };
}
