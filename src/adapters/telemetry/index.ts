/**
 * OpenTelemetry for the bot: metrics to a Prometheus endpoint on METRICS_PORT and/or pushed by OTLP/HTTP, traces
 * pushed by OTLP/HTTP (the OTEL_EXPORTER_OTLP_* settings, read by src/config.ts). The composition root imports this
 * module only when one of them is on, so a bot without them loads no OpenTelemetry code. Implements the app's
 * telemetry port; the instruments are in instruments.ts.
 */
import { context, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { GaugeValues, Telemetry } from '../../app/telemetry/port.js';
import type { OtlpConfig, TelemetryConfig } from '../../config.js';
import { defineInstruments } from './instruments.js';
import { serveMetrics, type MetricsServer } from './metrics-server.js';

export interface RunningTelemetry {
  telemetry: Telemetry;
  /** The bound Prometheus port, or null when there is no Prometheus endpoint. */
  metricsPort: number | null;
  /** For the start-up log line. */
  summary: string;
  /** Pushes what is pending (OTLP) and closes the endpoint. */
  shutdown(): Promise<void>;
}

async function metricExporter(otlp: OtlpConfig, url: string) {
  const options = { url, headers: otlp.headers };
  return otlp.protocol === 'http/json'
    ? new (await import('@opentelemetry/exporter-metrics-otlp-http')).OTLPMetricExporter(options)
    : new (await import('@opentelemetry/exporter-metrics-otlp-proto')).OTLPMetricExporter(options);
}

async function traceExporter(otlp: OtlpConfig, url: string) {
  const options = { url, headers: otlp.headers };
  return otlp.protocol === 'http/json'
    ? new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter(options)
    : new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter(options);
}

export async function startTelemetry(
  config: TelemetryConfig,
  gauges: () => Promise<GaugeValues>,
): Promise<RunningTelemetry> {
  const resource = resourceFromAttributes({ 'service.name': config.serviceName });
  const otlp = config.otlp;
  const summary: string[] = [];

  const readers: MetricReader[] = [];
  let server: MetricsServer | null = null;
  const prometheus =
    config.metricsPort === null ? null : new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true });
  if (prometheus) readers.push(prometheus);
  if (otlp?.metricsEndpoint) {
    const exporter = await metricExporter(otlp, otlp.metricsEndpoint);
    readers.push(new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: otlp.metricIntervalMs }));
    summary.push(`OTLP metrics to ${otlp.metricsEndpoint} (${otlp.protocol})`);
  }
  const meters = new MeterProvider({ resource, readers });
  const metrics = defineInstruments(meters.getMeter('acr-access-bot'), gauges);

  let tracer: Tracer | null = null;
  let tracing: BasicTracerProvider | null = null;
  let contextManager: AsyncLocalStorageContextManager | null = null;
  if (otlp?.tracesEndpoint) {
    const exporter = await traceExporter(otlp, otlp.tracesEndpoint);
    tracing = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter)] });
    tracer = tracing.getTracer('acr-access-bot');
    // Spans follow the turn through awaits; a manager another bot in this process registered serves as well.
    const manager = new AsyncLocalStorageContextManager().enable();
    if (context.setGlobalContextManager(manager)) contextManager = manager;
    else manager.disable();
    summary.push(`OTLP traces to ${otlp.tracesEndpoint} (${otlp.protocol})`);
  }

  try {
    if (prometheus) server = await serveMetrics(prometheus, config.metricsPort!, config.metricsHost);
  } catch (err) {
    await meters.shutdown().catch(() => undefined);
    await tracing?.shutdown().catch(() => undefined);
    throw err;
  }
  if (server) summary.unshift(`Prometheus on ${config.metricsHost}:${server.port} GET /metrics`);

  const telemetry: Telemetry = {
    ...metrics,
    span(name, attributes, fn, options) {
      if (!tracer || (options?.childOnly && !trace.getActiveSpan())) return fn();
      return tracer.startActiveSpan(name, { attributes }, async (span) => {
        try {
          return await fn();
        } catch (err) {
          span.recordException(err instanceof Error ? err : String(err));
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw err;
        } finally {
          span.end();
        }
      });
    },
    spanSync(name, attributes, fn) {
      if (!tracer) return fn();
      return tracer.startActiveSpan(name, { attributes }, (span) => {
        try {
          return fn();
        } finally {
          span.end();
        }
      });
    },
  };

  return {
    telemetry,
    metricsPort: server?.port ?? null,
    summary: summary.join('; '),
    async shutdown() {
      await server?.close();
      await Promise.allSettled([meters.shutdown(), tracing?.shutdown()]);
      if (contextManager) context.disable();
    },
  };
}
