/**
 * The one neutral view of a diagnosis, for every platform: the title and summary (the first screen), the evidence
 * as facts, the paste excerpt, the fixes, and the actions with their data. Teams and Slack only lay it out, so both
 * say the same things. Values are raw (from the paste or from Azure): renderers escape every one.
 */
import type { ViewFact } from '../approval-views.js';
import type { Diagnosis, IpOwner } from '../diagnosis.js';
import type { HygieneView } from '../quota/view-types.js';
import { MAX_IP_RULES } from '../registry.js';
import { CAUSE_DOCS, diagnosisTitle, IP_CLASS_LABEL, KIND_TITLES, learnMoreUrl } from './words.js';

/** Fixes listed; a diagnosis has fewer, and the rest would be counted. */
export const MAX_FIXES = 6;
/** Values listed in one fact (near rules, private endpoints); the rest are counted. */
const MAX_LISTED = 5;

export interface FixView {
  title: string;
  detail: string;
  /** The rule to add or the command to run, verbatim. */
  code: string | null;
  docsUrl: string;
}

/** What Request access carries: the approval flow re-reads the registry and checks everything. */
export interface RequestAccessData {
  registryId: string;
  loginServer: string;
  rule: string;
  ip: string | null;
}

export interface DiagnosisView {
  title: string;
  summary: string;
  facts: ViewFact[];
  notes: string[];
  /** The pasted lines the finding came from (a paste only). */
  excerpt: string | null;
  fixes: FixView[];
  /** Fixes not listed. */
  moreFixes: number;
  /** Request access: only when a fix adds an IP rule the bot may request, on a registry it read. */
  requestAccess: RequestAccessData | null;
  /** Show rules: the registry that was read, when one was. */
  showRules: { registryId: string } | null;
  learnMore: string;
  /** The cause's own page, when the fix's page is refused by a renderer. */
  causeDocs: string;
  hygiene: HygieneView | null;
}

function list(values: string[]): string {
  const shown = values.slice(0, MAX_LISTED).join(', ');
  return values.length > MAX_LISTED ? `${shown} and ${values.length - MAX_LISTED} more` : shown;
}

function owner(o: IpOwner): string {
  const what =
    o.kind === 'public_ip'
      ? 'public IP'
      : o.kind === 'public_ip_prefix'
        ? 'public IP prefix'
        : o.kind === 'azure_cloud'
          ? 'Azure address'
          : 'Azure service';
  // The detail says what uses it ("outbound IP of AKS cluster …"); resource names are often GUIDs (AKS).
  return o.detail ? `${o.detail} — ${what} ${o.name}` : `${o.name} (${what})`;
}

const onOff = (v: boolean): string => (v ? 'on' : 'off');

/** The evidence: only facts that were established. */
export function diagnosisFacts(d: Diagnosis): ViewFact[] {
  const { finding, registry, evidence: e } = d;
  const facts: ViewFact[] = [];
  const fact = (label: string, text: string): void => void facts.push({ label, text });
  // A check is a question, not an error: only pastes have an "Error" row.
  if (d.origin === 'paste') fact('Error', KIND_TITLES[finding.kind]);
  if (registry) fact('Registry', `${registry.name} (${registry.loginServer})`);
  else if (finding.loginServer) fact('Login server', finding.loginServer);
  else if (finding.registryName) fact('Registry', finding.registryName);
  if (finding.ip)
    fact(
      'Client IP',
      e.ipClass && e.ipClass !== 'public' ? `${finding.ip} — ${IP_CLASS_LABEL[e.ipClass]}` : finding.ip,
    );
  else if (e.ipClass) fact('IP class', IP_CLASS_LABEL[e.ipClass]);
  if (e.ipOwner) fact('IP owner', owner(e.ipOwner));
  if (finding.repository)
    fact(
      'Image',
      finding.reference
        ? `${finding.repository}:${finding.reference}`.replace(':sha256:', '@sha256:')
        : finding.repository,
    );
  const sku = e.sku ?? registry?.sku;
  if (sku) fact('SKU', sku);
  const pna = e.publicNetworkAccess ?? registry?.publicNetworkAccess;
  if (pna) fact('Public network access', pna);
  const da = e.defaultAction ?? registry?.defaultAction;
  if (da) fact('Default action', da);
  const count = e.ipRuleCount ?? registry?.ipRules.length;
  if (count !== undefined) fact('IP rules used', `${count}/${e.ipRuleLimit ?? MAX_IP_RULES}`);
  if (e.matchingRule) fact('Matching rule', e.matchingRule);
  else if (e.matchingRule === null && finding.ip) fact('Matching rule', 'none');
  if (e.nearRules && e.nearRules.length > 0) fact('Near rules (do not match)', list(e.nearRules));
  const pes = e.privateEndpoints ?? registry?.privateEndpoints;
  if (pes) fact('Private endpoints', pes.length === 0 ? 'none' : list(pes.map((p) => `${p.name} (${p.status})`)));
  const trusted = e.trustedServicesBypass ?? registry?.trustedServicesBypass;
  if (trusted !== undefined) fact('Trusted services bypass', onOff(trusted));
  const tasks = e.tasksBypass ?? registry?.tasksBypass;
  if (tasks !== undefined && (finding.tool === 'acr-tasks' || e.ipOwner?.kind === 'azure_service'))
    fact('ACR Tasks bypass', onOff(tasks));
  const dataEp = e.dataEndpointEnabled ?? registry?.dataEndpointEnabled;
  if (dataEp !== undefined && finding.kind === 'data_endpoint_blocked') fact('Dedicated data endpoints', onOff(dataEp));
  if (e.searchedSubscriptions !== undefined) fact('Subscriptions searched', String(e.searchedSubscriptions));
  if (finding.tool) fact('Reported by', finding.tool);
  return facts;
}

function requestAccessOf(d: Diagnosis): RequestAccessData | null {
  if (d.registry === null) return null;
  const fix = d.fixes.find((f) => f.requestable && f.kind === 'add_ip_rule' && typeof f.rule === 'string' && f.rule);
  if (!fix) return null;
  return { registryId: d.registry.id, loginServer: d.registry.loginServer, rule: fix.rule!, ip: d.finding.ip };
}

export function diagnosisView(d: Diagnosis): DiagnosisView {
  const shown = d.fixes.slice(0, MAX_FIXES);
  return {
    title: diagnosisTitle(d),
    summary: d.summary,
    facts: diagnosisFacts(d),
    notes: (d.evidence.notes ?? []).filter((n) => n.trim() !== ''),
    excerpt: d.origin === 'paste' && d.finding.excerpt.trim() !== '' ? d.finding.excerpt : null,
    fixes: shown.map((f) => ({
      title: f.title,
      detail: f.detail,
      code: f.command ?? f.rule ?? null,
      docsUrl: f.docsUrl,
    })),
    moreFixes: d.fixes.length - shown.length,
    requestAccess: requestAccessOf(d),
    showRules: d.registry ? { registryId: d.registry.id } : null,
    learnMore: learnMoreUrl(d),
    causeDocs: CAUSE_DOCS[d.cause],
    hygiene: d.hygiene ?? null,
  };
}
