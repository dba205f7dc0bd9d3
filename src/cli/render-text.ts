/**
 * Plain-text rendering of every Reply for the CLI (an exhaustive switch: a new variant fails to compile here until
 * it has a text form). Values from the paste or Azure are printed on their own, with control characters removed,
 * so a paste cannot move the cursor or recolour the terminal.
 */
import { diagnosisFacts } from '../core/diagnose/view.js';
import type { Diagnosis, Fix } from '../core/diagnosis.js';
import { MAX_IP_RULES, type RegistrySnapshot } from '../core/registry.js';
import type { AccessRequest } from '../core/requests/types.js';
import { assertNever, type Reply } from '../core/reply.js';

/** Strip C0/C1 controls (ANSI escapes included) except newline and tab. */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

function line(label: string, value: string): string {
  return `  ${label.padEnd(24)}${plain(value)}`;
}

/** The evidence as the cards show it (core/diagnose/view.ts), one fact per line, then the notes. */
function evidenceLines(d: Diagnosis): string[] {
  return [
    ...diagnosisFacts(d).map((f) => line(f.label, f.text)),
    ...(d.evidence.notes ?? []).filter((n) => n.trim() !== '').map((n) => `  note: ${plain(n)}`),
  ];
}

function fixLines(fixes: Fix[]): string[] {
  const out: string[] = [];
  fixes.forEach((f, i) => {
    out.push(`  ${i + 1}. ${plain(f.title)}${f.requestable ? '  [can be requested through the bot]' : ''}`);
    out.push(`     ${plain(f.detail)}`);
    if (f.command) out.push(`     $ ${plain(f.command)}`);
    out.push(`     ${plain(f.docsUrl)}`);
  });
  return out;
}

function diagnosisText(d: Diagnosis, index: number, total: number): string {
  const head = total > 1 ? `[${index + 1}/${total}] ` : '';
  return [
    `${head}${d.verdict ? `${d.verdict}: ` : `${d.cause}: `}${plain(d.summary)}`,
    ...(d.origin === 'check' ? [] : [`  > ${plain(d.finding.excerpt).replaceAll('\n', '\n    ')}`]),
    ...evidenceLines(d),
    ...(d.fixes.length > 0 ? ['  Fixes, smallest first:', ...fixLines(d.fixes)] : []),
  ].join('\n');
}

/** What a client that is not in the rules meets: the one-line verdict of a firewall view. */
export function unlistedClients(r: RegistrySnapshot): 'allowed' | 'denied' {
  if (r.publicNetworkAccess === 'Disabled') return 'denied';
  if (r.sku.toLowerCase() !== 'premium') return 'allowed';
  return r.defaultAction === 'Deny' ? 'denied' : 'allowed';
}

function firewallText(r: RegistrySnapshot): string {
  const verdict =
    r.publicNetworkAccess === 'Disabled'
      ? 'Public network access is disabled: only private endpoints and trusted services get in.'
      : unlistedClients(r) === 'allowed'
        ? r.sku.toLowerCase() === 'premium'
          ? 'Default action Allow: every address is let in.'
          : `SKU ${r.sku} has no IP firewall: every address is let in.`
        : `Default action Deny: only the ${r.ipRules.length} listed address${r.ipRules.length === 1 ? '' : 'es'} (and trusted services, if allowed) get in.`;
  return [
    `Firewall of ${plain(r.name)} (${plain(r.loginServer)})`,
    `  ${verdict}`,
    line('Resource id', r.id),
    line('SKU', r.sku),
    line('Public network access', r.publicNetworkAccess),
    line('Default action', r.defaultAction),
    line('IP rules used', `${r.ipRules.length}/${MAX_IP_RULES}`),
    line('Trusted services', r.trustedServicesBypass ? 'allowed' : 'not allowed'),
    line('ACR Tasks bypass', r.tasksBypass ? 'on' : 'off'),
    line(
      'Private endpoints',
      r.privateEndpoints.length === 0 ? 'none' : r.privateEndpoints.map((p) => `${p.name} (${p.status})`).join(', '),
    ),
    ...(r.ipRules.length > 0 ? ['  IP rules:', ...r.ipRules.map((rule) => `    ${plain(rule)}`)] : []),
  ].join('\n');
}

const HELP = [
  "acr-access-bot explains Azure Container Registry errors from the registry's live firewall.",
  '  Paste an error (docker, kubelet, az acr, ...) and the bot names the cause and the smallest safe fix.',
  "  <registry>          the registry's firewall (name, login server or resource id)",
  '  <registry> <ip>     whether that address gets in, and why',
  '  help                this text',
].join('\n');

function requestLine(r: AccessRequest): string {
  const who = r.requester.email ?? r.requester.displayName ?? r.requester.id;
  return `${r.id}  ${r.status.padEnd(9)} ${r.rule} on ${r.registry.name} for ${plain(who)}${r.endsAt ? ` until ${r.endsAt}` : ''}`;
}

export function renderText(reply: Reply): string {
  switch (reply.type) {
    case 'diagnoses':
      return reply.diagnoses.length === 0
        ? 'No Azure Container Registry error found in the input.'
        : reply.diagnoses.map((d, i) => diagnosisText(d, i, reply.diagnoses.length)).join('\n\n');
    case 'firewall':
      return firewallText(reply.registry);
    case 'help':
      return HELP;
    case 'notice':
      return `${reply.tone}: ${plain(reply.title)}\n  ${plain(reply.text)}${reply.retryable ? '\n  (temporary: try again)' : ''}`;
    case 'request_form':
      return `${plain(reply.form.layout.heading)}: rule ${reply.form.rule}\n  ${plain(reply.form.approversSummary)}`;
    case 'decision_form':
      return plain(reply.form.layout.heading);
    case 'request':
      return requestLine(reply.view.request);
    case 'requests':
      return [plain(reply.title), ...reply.views.map((v) => `  ${requestLine(v.request)}`)].join('\n');
    case 'audit':
      return (
        reply.view.events.map((e) => `${e.at}  ${e.type.padEnd(18)} ${plain(e.summary)}`).join('\n') ||
        'No audit events.'
      );
    default:
      return assertNever(reply);
  }
}
