/**
 * `firewall` Reply (`@acr <registry>`, Show rules): the registry's network settings and every IP rule, as ARM
 * reports them now. Up to 200 rules fit in code blocks split across sections; anything beyond the message budget
 * is counted, never silently dropped.
 */
import type { HygieneView } from '../../../core/quota/view.js';
import { DIAGNOSIS_WORDS } from '../../../core/diagnose/words.js';
import { firewallView, moreRules } from '../../../core/firewall-view.js';
import type { RegistrySnapshot } from '../../../core/registry.js';
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
import { clip, codeBlock, prose } from './escape.js';
import { hygieneBlocks } from './hygiene.js';
import { FIREWALL_DOCS } from '../../../core/help-words.js';

/** Room for the rules: what is left of the aggregate budget after the settings, shared by the rule sections. */
const RULES_BUDGET = 6000;
const RULE_SECTION_TEXT = 2800;
const RULES_BUDGET_WITH_HYGIENE = 3000;

function ruleSections(heading: string, rules: readonly string[], budget: number): Block[] {
  if (rules.length === 0) return [];
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
        `${out.length === 0 ? `*${prose(heading)}*\n` : ''}${codeBlock(chunk.join('\n'))}`,
        `rules_${out.length}`,
      ),
    );
  }
  if (i < rules.length) out.push(context(prose(moreRules(rules.length - i)), 'rules_more'));
  return out;
}

export function renderFirewall(r: RegistrySnapshot, hygiene?: HygieneView): SlackMessage {
  const v = firewallView(r);
  const blocks: Block[] = [
    header(v.title.slice(0, LIMITS.header)),
    section(prose(v.headline), 'headline'),
    ...fieldSections(
      v.facts.map((f) => [prose(f.label), clip(prose(f.text), 600)]),
      'settings',
    ),
  ];
  // The quota findings share the message budget with the rules: the rules give way (the rest are counted).
  blocks.push(...ruleSections(v.rulesHeading, v.rules, hygiene ? RULES_BUDGET_WITH_HYGIENE : RULES_BUDGET));
  if (hygiene) blocks.push(...hygieneBlocks(hygiene, 'firewall'));
  const row = actions([urlButton(ACTION_IDS.learnMore, DIAGNOSIS_WORDS.learnMore, FIREWALL_DOCS)], 'firewall_actions');
  if (row) blocks.push(row);
  return { text: clip(prose(v.summary), 3000), blocks };
}
