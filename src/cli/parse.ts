/**
 * `acr-access parse [FILE|-] [--json]`: the findings in a pasted text, no Azure needed.
 *
 * `--json` prints exactly `{"findings":[{"kind","loginServer","registryName","ip","repository","reference","tool",
 * "excerpt"}]}` with every field present (unknown = null) and `findings: []` when nothing is recognised. The text
 * form is one short block per finding. Exit 0 either way; an unknown option or an unreadable file is a usage
 * error (exit 2).
 */
import { classifyIp, embeddedIpv4 } from '../core/ip.js';
import { parseFindings } from '../core/parse/index.js';
import type { Diagnosis } from '../core/diagnosis.js';
import type { Finding } from '../core/finding.js';
import { EXIT, readInput, UsageError, type CliIO } from './io.js';

const USAGE = 'usage: acr-access parse [FILE|-] [--json]';

interface ParseArgs {
  file: string | undefined;
  json: boolean;
  help: boolean;
}

function parseArgs(args: string[]): ParseArgs {
  const out: ParseArgs = { file: undefined, json: false, help: false };
  for (const a of args) {
    if (a === '--json') out.json = true;
    else if (a === '--help' || a === '-h') out.help = true;
    else if (a !== '-' && a.startsWith('-')) throw new UsageError(`unknown option "${a}"\n${USAGE}`);
    else if (out.file !== undefined)
      throw new UsageError(`one input at a time (got "${out.file}" and "${a}")\n${USAGE}`);
    else out.file = a;
  }
  return out;
}

/**
 * The contract's field order, every field present. The hosted-CI marker stays in-process: `diagnose` reports it
 * as the evidence's `clientClass`, so the documented shapes do not change.
 */
export function findingJson(f: Finding): Finding {
  return {
    kind: f.kind,
    loginServer: f.loginServer,
    registryName: f.registryName,
    ip: f.ip,
    repository: f.repository,
    reference: f.reference,
    tool: f.tool,
    excerpt: f.excerpt,
  };
}

/**
 * A diagnosis in the `diagnose --json` shape (its finding in the contract's shape). The origin stays in-process:
 * the command that printed it already says whether it answers a paste or a check.
 */
export function diagnosisJson(d: Diagnosis): Omit<Diagnosis, 'origin'> {
  const { origin: _origin, ...documented } = d;
  return { ...documented, finding: findingJson(d.finding) };
}

const KIND_TEXT: Record<Finding['kind'], string> = {
  firewall_denied: 'the registry firewall refused the client',
  registry_forbidden:
    'the registry answered 403 Forbidden (firewall, public access disabled, or a private-link DNS path)',
  unauthorized: 'not authenticated (401)',
  access_denied: 'authenticated but not allowed (RBAC or repository scope)',
  dns_failure: 'the registry name did not resolve, or the login server was unreachable',
  network_timeout: 'the connection to the registry timed out or was refused',
  data_endpoint_blocked: 'the layer download from storage or a data endpoint failed',
  throttled: 'the registry is throttling requests (429)',
  manifest_unknown: 'the image tag or repository does not exist',
  operation_disallowed: 'the operation is disallowed (locked image or registry quota)',
  identity_pull_failed: 'the service could not pull with its managed identity (none assigned, or no AcrPull)',
  tls_error: 'the TLS connection to the registry failed (host name not on the certificate, or a proxy)',
  upstream_throttled: 'the registry behind a cache rule or an import is throttling (429), not ACR',
};

function ipNote(ip: string): string {
  const cls = classifyIp(ip);
  if (cls === 'ipv6') {
    const v4 = embeddedIpv4(ip);
    return v4 !== null
      ? ` (IPv6, mapped from IPv4 ${v4}: ACR IP rules are IPv4-only)`
      : ' (IPv6: ACR IP rules are IPv4-only, so no IP rule can admit this client)';
  }
  return cls === null || cls === 'public' ? '' : ` (${cls.replace('_', '-')} address)`;
}

export function formatFindingText(f: Finding, index: number): string {
  const lines = [`${index + 1}. ${f.kind}: ${KIND_TEXT[f.kind]}`];
  const registry =
    f.registryName !== null && f.loginServer !== null
      ? `${f.registryName} (${f.loginServer})`
      : (f.registryName ?? f.loginServer ?? 'unknown (not in the text, or redacted)');
  lines.push(`   registry:  ${registry}`);
  if (f.ip !== null) lines.push(`   client IP: ${f.ip}${ipNote(f.ip)}`);
  else if (f.kind === 'firewall_denied') lines.push('   client IP: unknown (not in the text, or redacted)');
  if (f.repository !== null || f.reference !== null) {
    const ref = f.reference === null ? '' : f.reference.startsWith('sha256:') ? `@${f.reference}` : `:${f.reference}`;
    lines.push(`   image:     ${f.repository ?? '(repository unknown)'}${ref}`);
  }
  if (f.tool !== null) lines.push(`   tool:      ${f.tool}`);
  if (f.ci !== null) lines.push(`   ci:        ${f.ci} (hosted runners change address every run)`);
  lines.push(`   excerpt:   ${f.excerpt.replaceAll('\n', '\n              ')}`);
  return lines.join('\n');
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const opts = parseArgs(args);
  if (opts.help) {
    io.stdout(`${USAGE}\n`);
    return EXIT.ok;
  }
  const text = await readInput(opts.file, io);
  const findings = parseFindings(text);
  if (opts.json) {
    io.stdout(`${JSON.stringify({ findings: findings.map(findingJson) })}\n`);
    return EXIT.ok;
  }
  if (findings.length === 0) {
    io.stdout('No ACR error recognised in the input.\n');
    return EXIT.ok;
  }
  io.stdout(`${findings.map(formatFindingText).join('\n\n')}\n`);
  return EXIT.ok;
}
