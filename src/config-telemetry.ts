/**
 * Metrics and traces settings (the README's "Configuration"), read by config.ts from the environment it was given: a
 * Prometheus endpoint on its own port (METRICS_PORT, unset = off) and OTLP export by the standard OpenTelemetry
 * variables (OTEL_EXPORTER_OTLP_*, OTEL_TRACES_EXPORTER / OTEL_METRICS_EXPORTER=none, OTEL_SERVICE_NAME).
 */
import type { TelemetryConfig } from './config-types.js';

/** Problems are pushed in config.ts's words (variable, then the fix). */
export function readTelemetryConfig(
  value: (name: string) => string | null,
  host: string,
  problems: string[],
): TelemetryConfig {
  const rawPort = value('METRICS_PORT');
  const port = Number(rawPort);
  const metricsPort = rawPort !== null && Number.isInteger(port) && port >= 0 && port <= 65535 ? port : null;
  if (rawPort !== null && metricsPort === null)
    problems.push(
      `METRICS_PORT="${rawPort}" is not a port number: use an integer from 0 to 65535 (0 picks a free port).`,
    );
  const otlpBase = value('OTEL_EXPORTER_OTLP_ENDPOINT')?.replace(/\/+$/, '') ?? null;
  const signal = (name: string, path: string): string | null =>
    value(`OTEL_EXPORTER_OTLP_${name}_ENDPOINT`) ?? (otlpBase === null ? null : `${otlpBase}/${path}`);
  const traces = value('OTEL_TRACES_EXPORTER') === 'none' ? null : signal('TRACES', 'v1/traces');
  const metrics = value('OTEL_METRICS_EXPORTER') === 'none' ? null : signal('METRICS', 'v1/metrics');
  const protocol = value('OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf';
  if (protocol !== 'http/protobuf' && protocol !== 'http/json')
    problems.push(`OTEL_EXPORTER_OTLP_PROTOCOL="${protocol}" is not supported: use http/protobuf or http/json.`);
  for (const url of [traces, metrics].filter((u) => u !== null && !/^https?:\/\/[^/]/i.test(u)))
    problems.push(`The OTLP endpoint "${url}" is not an http(s) URL: fix OTEL_EXPORTER_OTLP_ENDPOINT.`);
  const headers = Object.fromEntries(
    (value('OTEL_EXPORTER_OTLP_HEADERS') ?? '')
      .split(',')
      .map((kv) => kv.split('=').map((p) => decodeURIComponent(p.trim())))
      .filter((kv) => kv.length === 2 && kv[0] !== ''),
  ) as Record<string, string>;
  const interval = Number(value('OTEL_METRIC_EXPORT_INTERVAL') ?? 60_000);
  if (!(interval >= 1000))
    problems.push('OTEL_METRIC_EXPORT_INTERVAL must be a number of milliseconds, at least 1000.');
  const otlp = traces || metrics ? { tracesEndpoint: traces, metricsEndpoint: metrics, headers } : null;
  return {
    metricsPort,
    metricsHost: value('METRICS_HOST') ?? host,
    otlp: otlp && { ...otlp, protocol: protocol as 'http/protobuf' | 'http/json', metricIntervalMs: interval },
    serviceName: value('OTEL_SERVICE_NAME') ?? 'acr-access-bot',
  };
}
