/**
 * Evidence as a FactSet: what the bot read from the registry and learned about the client IP. Only facts that were
 * established appear; every value is neutralised (it came from the paste or from Azure).
 */
import type { Diagnosis, IpOwner } from '../../../core/diagnosis.js';
import { MAX_IP_RULES } from '../../../core/registry.js';
import { md } from './escape.js';
import { FINDING_LABEL, IP_CLASS_LABEL } from './labels.js';
import type { Fact, FactSet } from './types.js';

const MAX_LISTED = 5;

function fact(title: string, value: string): Fact {
  return { title, value: md(value) };
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

export function evidenceFacts(d: Diagnosis): FactSet {
  const { finding, registry, evidence: e } = d;
  const facts: Fact[] = [];
  // A check is a question, not an error: only pastes have an "Error" row.
  if (d.origin === 'paste') facts.push(fact('Error', FINDING_LABEL[finding.kind]));
  if (registry) facts.push(fact('Registry', `${registry.name} (${registry.loginServer})`));
  else if (finding.loginServer) facts.push(fact('Login server', finding.loginServer));
  else if (finding.registryName) facts.push(fact('Registry', finding.registryName));
  if (finding.ip)
    facts.push(
      fact(
        'Client IP',
        e.ipClass && e.ipClass !== 'public' ? `${finding.ip} — ${IP_CLASS_LABEL[e.ipClass]}` : finding.ip,
      ),
    );
  else if (e.ipClass) facts.push(fact('IP class', IP_CLASS_LABEL[e.ipClass]));
  if (e.ipOwner) facts.push(fact('IP owner', owner(e.ipOwner)));
  if (finding.repository)
    facts.push(
      fact(
        'Image',
        finding.reference
          ? `${finding.repository}:${finding.reference}`.replace(':sha256:', '@sha256:')
          : finding.repository,
      ),
    );
  if (e.sku ?? registry?.sku) facts.push(fact('SKU', (e.sku ?? registry?.sku)!));
  const pna = e.publicNetworkAccess ?? registry?.publicNetworkAccess;
  if (pna) facts.push(fact('Public network access', pna));
  const da = e.defaultAction ?? registry?.defaultAction;
  if (da) facts.push(fact('Default action', da));
  const count = e.ipRuleCount ?? registry?.ipRules.length;
  if (count !== undefined) facts.push(fact('IP rules used', `${count}/${e.ipRuleLimit ?? MAX_IP_RULES}`));
  if (e.matchingRule) facts.push(fact('Matching rule', e.matchingRule));
  else if (e.matchingRule === null && finding.ip) facts.push(fact('Matching rule', 'none'));
  if (e.nearRules && e.nearRules.length > 0) facts.push(fact('Near rules (do not match)', list(e.nearRules)));
  const pes = e.privateEndpoints ?? registry?.privateEndpoints;
  if (pes)
    facts.push(fact('Private endpoints', pes.length === 0 ? 'none' : list(pes.map((p) => `${p.name} (${p.status})`))));
  const trusted = e.trustedServicesBypass ?? registry?.trustedServicesBypass;
  if (trusted !== undefined) facts.push(fact('Trusted services bypass', trusted ? 'on' : 'off'));
  const tasks = e.tasksBypass ?? registry?.tasksBypass;
  if (tasks !== undefined && (finding.tool === 'acr-tasks' || e.ipOwner?.kind === 'azure_service'))
    facts.push(fact('ACR Tasks bypass', tasks ? 'on' : 'off'));
  const dataEp = e.dataEndpointEnabled ?? registry?.dataEndpointEnabled;
  if (dataEp !== undefined && finding.kind === 'data_endpoint_blocked')
    facts.push(fact('Dedicated data endpoints', dataEp ? 'on' : 'off'));
  if (e.searchedSubscriptions !== undefined)
    facts.push(fact('Subscriptions searched', String(e.searchedSubscriptions)));
  if (finding.tool) facts.push(fact('Reported by', finding.tool));
  return { type: 'FactSet', facts, spacing: 'Medium' };
}
