/**
 * The telemetry port: what the bot measures (the README's metrics table) and the spans of a turn, in the bot's own
 * words. The OpenTelemetry adapter (src/adapters/telemetry) implements it and owns every instrument definition; the
 * use cases and the other adapters only call these methods. With metrics and OTLP off the bot uses `noTelemetry`,
 * and no OpenTelemetry module is loaded.
 */

export type SpanAttributes = Record<string, string | number | boolean>;

export interface Telemetry {
  /**
   * Run `fn` in a span named `name` (a child of the span it runs in, if any). `childOnly`: only when there is a
   * parent, so background polling makes no traces of its own.
   */
  span<T>(
    name: string,
    attributes: SpanAttributes,
    fn: () => Promise<T>,
    options?: { childOnly?: boolean },
  ): Promise<T>;
  /** The same for synchronous work (the parse). */
  spanSync<T>(name: string, attributes: SpanAttributes, fn: () => T): T;
  /** A message with at least one recognised error: its platform and the primary finding's kind. */
  pasted(platform: string, kind: string): void;
  /** One diagnosis answered, by cause. */
  diagnosed(cause: string): void;
  /** From a message arriving to its answer being ready, in seconds. */
  replied(platform: string, seconds: number): void;
  /** From a request to its approval or denial, in seconds. */
  decided(seconds: number): void;
  /** From the approval to the rule verified in the registry, in seconds. */
  applied(seconds: number): void;
  applyFailed(): void;
  /** One HTTP request to Azure Resource Manager (or Resource Graph): `GET registries`, and `200` or `error`. */
  armRequest(operation: string, status: string): void;
  /** IP rules in use on a registry, from the latest read of it. */
  registryRules(registry: string, count: number): void;
}

export const noTelemetry: Telemetry = {
  span: (_name, _attributes, fn) => fn(),
  spanSync: (_name, _attributes, fn) => fn(),
  pasted: () => undefined,
  diagnosed: () => undefined,
  replied: () => undefined,
  decided: () => undefined,
  applied: () => undefined,
  applyFailed: () => undefined,
  armRequest: () => undefined,
  registryRules: () => undefined,
};

/** What the gauges read when metrics are collected (a scrape, an OTLP export). */
export interface GaugeValues {
  /** Requests by status. */
  requests: Record<string, number>;
  grantsActive: number;
  /** How long the oldest grant past its end has been waiting for expiry or rule removal; 0 when none. */
  grantExpiryLagSeconds: number;
  /** Audit events waiting in the outbox, per sink (`webhook`, `teams-channel`, `slack-channel`). */
  auditPending: Record<string, number>;
}
