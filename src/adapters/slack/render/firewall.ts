/**
 * `firewall` Reply (`@acr <registry>`, Show rules): the registry's network settings and every IP rule, as ARM
 * reports them now. Up to 200 rules fit in code blocks split across sections; anything beyond the message budget
 * is counted, never silently dropped.
 */
import type { HygieneView } from '../../../core/quota/view.js';
import type { RegistrySnapshot } from '../../../core/registry.js';
import { MAX_IP_RULES } from '../../../core/registry.js';
import { ACTION_IDS } from '../settings.js';
import {
  actions,
  context,
  fieldSections,
  header,
  LIMITS,
  section,
  urlButton,
  type Block,
  type SlackMessage,
} from './blocks.js';
import { clip, code, codeBlock, prose } from './escape.js';
import { hygieneBlocks } from './hygiene.js';
import { FIREWALL_DOCS } from '../../../core/help-words.js';
import { yesNo } from './words.js';

/** Room for the rules: what is left of the aggregate budget after the settings, shared by the rule sections. */
const RULES_BUDGET = 6000;
const RULE_SECTION_TEXT = 2800;
const RULES_BUDGET_WITH_HYGIENE = 3000;

function ruleSections(rules: string[], budget: number): Block[] {
  if (rules.length === 0) return [section('*IP rules*\nnone')];
  const out: Block[] = [];
  let used = 0;
  let i = 0;
  while (i < rules.length && used < budget) {
    const chunk: string[] = [];
    let len = 0;
    while (i < rules.length) {
      const r = rules[i]!.slice(0, 64);
      if (len + r.length + 1 > Math.min(RULE_SECTION_TEXT, budget - used) - 40) break;
      chunk.push(r);
      len += r.length + 1;
      i += 1;
    }
    if (chunk.length === 0) break;
    used += len;
    out.push(
      section(
        `${out.length === 0 ? `*IP rules (${rules.length})*\n` : ''}${codeBlock(chunk.join('\n'))}`,
        `rules_${out.length}`,
      ),
    );
  }
  if (i < rules.length) out.push(context(`…and ${rules.length - i} more rules not shown.`, 'rules_more'));
  return out;
}

export function renderFirewall(r: RegistrySnapshot, hygiene?: HygieneView): SlackMessage {
  const fields: Array<[string, string]> = [
    ['Login server', code(r.loginServer)],
    ['Resource group', code(r.resourceGroup)],
    ['SKU', prose(String(r.sku))],
    ['Public network access', r.publicNetworkAccess],
    ['Default action', r.defaultAction],
    ['IP rules', `${r.ipRules.length} / ${MAX_IP_RULES}`],
    ['Trusted services bypass', yesNo(r.trustedServicesBypass)],
    ['ACR Tasks bypass', yesNo(r.tasksBypass)],
    ['Dedicated data endpoints', yesNo(r.dataEndpointEnabled)],
    ['Private endpoints', String(r.privateEndpoints.length)],
  ];
  const blocks: Block[] = [
    header(`Firewall of ${r.name}`.slice(0, LIMITS.header)),
    ...fieldSections(
      fields.map(([l, v]) => [l, clip(v, 250)]),
      'settings',
    ),
  ];
  if (r.publicNetworkAccess === 'Disabled') {
    blocks.push(
      context(
        ':lock: Public network access is disabled: IP rules have no effect; only private endpoints reach this registry.',
        'pna',
      ),
    );
  } else if (r.defaultAction === 'Allow') {
    blocks.push(
      context(
        ':white_check_mark: Default action Allow: every network is allowed, the IP rules are not enforced.',
        'allow_all',
      ),
    );
  }
  // The quota findings share the message budget with the rules: the rules give way (the rest are counted).
  blocks.push(...ruleSections(r.ipRules, hygiene ? RULES_BUDGET_WITH_HYGIENE : RULES_BUDGET));
  if (hygiene) blocks.push(...hygieneBlocks(hygiene, 'firewall'));
  if (r.privateEndpoints.length > 0) {
    const pes = r.privateEndpoints.slice(0, 20).map((p) => `${code(p.name)} ${prose(p.status)}`);
    if (r.privateEndpoints.length > 20) pes.push(`…and ${r.privateEndpoints.length - 20} more`);
    blocks.push(section(clip(`*Private endpoints*\n${pes.join('\n')}`, 1500), 'private_endpoints'));
  }
  blocks.push(context(clip(`Resource ${code(r.id)} · ${prose(r.location)}`, 600), 'resource'));
  const row = actions([urlButton(ACTION_IDS.learnMore, 'Learn more', FIREWALL_DOCS)], 'firewall_actions');
  if (row) blocks.push(row);
  const text = prose(
    `Firewall of ${r.name}: public network access ${r.publicNetworkAccess}, default action ${r.defaultAction}, ${r.ipRules.length}/${MAX_IP_RULES} IP rules.`,
  );
  return { text: clip(text, 3000), blocks };
}
