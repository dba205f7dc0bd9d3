/**
 * `acr-access request <registry> --reason TEXT [--duration 30m] [--ticket T] [--wait [--timeout 10m]] [--json]`: a CI
 * step asks the bot for its runner's address on a registry. The address comes from the registry's own denial
 * (runner-ip.ts), the token from the job's workload identity (ci-client.ts). With --wait it polls until the rule is
 * applied (verified by the bot's re-read) and prints the rule and its expiry; a request still pending when the time
 * is up is withdrawn. On GitHub Actions the request id, rule and expiry also go to $GITHUB_OUTPUT; on Azure
 * Pipelines the id is set as the variable ACR_ACCESS_REQUEST_ID.
 *
 * Exit: 0 applied (or the registry already admits this runner; without --wait: submitted), 2 usage, 3 the bot or the
 * registry unreachable, 4 refused (token, policy, an approver), 5 timed out waiting, 6 the rule could not be added.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { AccessApi, apiTarget, CliExit, cliDuration, failFrom, type ApiAnswer } from './ci-client.js';
import { EXIT, UsageError, usageOnError, type CliIO } from './io.js';
import { loginServerOf, probeRegistry } from './runner-ip.js';

const USAGE =
  'usage: acr-access request <registry> --reason TEXT [--duration 30m] [--ticket T] [--wait] [--timeout 10m] [--interval 5s] [--url URL] [--audience URI] [--registry-endpoint URL] [--json]';
const WAITING = new Set(['pending', 'approved', 'applying']);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ms(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  const v = cliDuration(text);
  if (v === null) throw new UsageError(`${name} must be a duration such as 30s, 10m or 1h\n${USAGE}`);
  return v;
}

function report(io: CliIO, view: Record<string, unknown>): void {
  const out = io.env.GITHUB_OUTPUT;
  const lines = [
    `request-id=${String(view.id ?? '')}`,
    `rule=${String(view.rule ?? '')}`,
    `expires=${String(view.expiresAt ?? '')}`,
  ];
  if (out) fs.appendFileSync(out, `${lines.join('\n')}\n`);
  if (io.env.TF_BUILD && view.id)
    io.stdout(`##vso[task.setvariable variable=ACR_ACCESS_REQUEST_ID]${String(view.id)}\n`);
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const parsed = usageOnError(
    () =>
      parseArgs({
        args,
        allowPositionals: true,
        options: {
          reason: { type: 'string' },
          duration: { type: 'string' },
          ticket: { type: 'string' },
          wait: { type: 'boolean' },
          timeout: { type: 'string' },
          interval: { type: 'string' },
          url: { type: 'string' },
          audience: { type: 'string' },
          'registry-endpoint': { type: 'string' },
          json: { type: 'boolean' },
        },
      }),
    USAGE,
  );
  const { values: v, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(`give one registry\n${USAGE}`);
  const timeoutMs = ms(v.timeout, 10 * 60_000, '--timeout');
  const intervalMs = Math.max(1_000, ms(v.interval, 5_000, '--interval'));
  const api = new AccessApi(apiTarget(v, io), io);
  const say = (text: string) => {
    if (!v.json) io.stdout(`${text}\n`);
  };
  try {
    const loginServer = loginServerOf(positionals[0]!);
    const probe = await probeRegistry(loginServer, v['registry-endpoint'] ?? io.env.ACR_ACCESS_REGISTRY_ENDPOINT);
    if (probe.kind === 'admitted') {
      say(`${loginServer} already admits this runner: nothing to request.`);
      if (v.json) io.stdout(`${JSON.stringify({ id: null, status: 'already_allowed', registry: { loginServer } })}\n`);
      return EXIT.ok;
    }
    say(`${loginServer} refuses ${probe.ip}: requesting ${probe.ip}/32.`);
    const asked = await api.call('POST', '/api/access-requests', {
      registry: positionals[0],
      ip: probe.ip,
      ...(v.duration ? { duration: v.duration } : {}),
      ...(v.reason ? { reason: v.reason } : {}),
      ...(v.ticket ? { ticket: v.ticket } : {}),
    });
    if (asked.status === 200 && asked.body.status === 'already_allowed') {
      say(String(asked.body.message));
      if (v.json) io.stdout(`${JSON.stringify(asked.body)}\n`);
      return EXIT.ok;
    }
    if (asked.status !== 202) throw failFrom(asked, 'the request was');
    let view = asked.body;
    const id = String(view.id);
    say(`Request ${id}: ${String(view.message)}`);
    report(io, view);
    const deadline = Date.now() + timeoutMs;
    while (v.wait && WAITING.has(String(view.status))) {
      if (Date.now() >= deadline) {
        const gone: ApiAnswer = await api.call('DELETE', `/api/access-requests/${id}`);
        throw new CliExit(
          EXIT.timeout,
          `not applied within ${v.timeout ?? '10m'} (still ${String(view.status)}); ${gone.status < 300 ? 'the request was withdrawn' : 'release it with acr-access release'}.`,
        );
      }
      await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
      const now = await api.call('GET', `/api/access-requests/${id}`);
      if (now.status !== 200) throw failFrom(now, 'reading the request was');
      view = now.body;
    }
    if (v.json) io.stdout(`${JSON.stringify(view)}\n`);
    if (!v.wait) return EXIT.ok;
    if (view.status === 'applied') {
      report(io, view);
      say(`Applied: ${String(view.rule)} on ${loginServer} until ${String(view.expiresAt)} (request ${id}).`);
      say(`rule: ${String(view.rule)}\nexpires: ${String(view.expiresAt)}`);
      return EXIT.ok;
    }
    io.stderr(`acr-access request: ${String(view.message)}\n`);
    return view.status === 'failed' ? EXIT.notApplied : EXIT.refused;
  } catch (err) {
    if (!(err instanceof CliExit)) throw err;
    io.stderr(`acr-access request: ${err.message}\n`);
    return err.code;
  }
}
