/**
 * Diagnosis (pure): one finding plus what Azure said about its registry and address → one Diagnosis with exactly
 * one cause (decide.ts has the order), its evidence and its fixes, smallest safe change first.
 */
import type { Diagnosis } from '../diagnosis.js';
import type { Finding } from '../finding.js';
import { MAX_IP_RULES } from '../registry.js';
import { decideCause, type DecisionFacts } from './decide.js';
import { buildEvidence } from './evidence.js';
import { explain } from './explain.js';
import type { DiagnoseContext, InspectionResult } from './input.js';
import { ipFactsOf } from './ip-facts.js';
import { azureServiceOf } from './services.js';
import { clientClassOf, verdictOf } from './verdict.js';

export type { DiagnoseContext, InspectionResult } from './input.js';

/**
 * `inspection` is null when nothing was asked of Azure (the kind is not about the network). It never throws:
 * Azure failures are the use case's to report, and this only sees what was established.
 */
export function diagnose(
  finding: Finding,
  inspection: InspectionResult | null,
  context: DiagnoseContext = {},
): Diagnosis {
  const lookup = inspection?.registry ?? null;
  const registry = lookup?.status === 'found' ? lookup.registry : null;
  const owner = inspection?.ipOwner ?? null;
  const ip = ipFactsOf(finding.ip, registry?.ipRules ?? []);
  const service = azureServiceOf(finding, owner);
  const facts: DecisionFacts = {
    finding,
    lookup,
    ip,
    owner,
    service,
    clientClass: clientClassOf(ip, owner, service, finding.ci ?? null),
    ipRuleLimit: context.ipRuleLimit ?? MAX_IP_RULES,
  };
  const cause = decideCause(facts);
  const explained = explain(cause, facts);
  const { fixes, notes } = explained;
  const evidence = buildEvidence({
    lookup,
    ip,
    ipInPaste: finding.ip !== null,
    owner,
    ipRuleLimit: facts.ipRuleLimit,
    notes,
    clientClass: facts.clientClass,
  });
  const origin = context.check === true ? 'check' : 'paste';
  if (origin === 'paste' || registry === null || ip === null)
    return { finding, registry, cause, summary: explained.summary, evidence, fixes, origin };
  const v = verdictOf(cause, registry, ip);
  // An address that gets in needs no story about a denial; one that is refused keeps the explanation.
  const summary =
    v.verdict === 'allowed'
      ? `${v.lead}${cause === 'ip_already_allowed' ? ' A rule added in the last few minutes may not be enforced yet.' : ''}`
      : `${v.lead} ${explained.summary}`;
  return { finding, registry, cause, summary, evidence, fixes, origin, verdict: v.verdict };
}
