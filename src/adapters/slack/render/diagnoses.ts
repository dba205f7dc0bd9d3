/**
 * `diagnoses` Reply → one message: per pasted error the cause in one sentence, the evidence as fields, the paste
 * excerpt, the fixes (smallest safe first) and the actions Request access / Show rules / Learn more.
 * Every piece is clipped so one diagnosis always fits; further diagnoses are kept while the message fits and the
 * rest are counted in a closing line.
 */
import type { Diagnosis, Evidence, Fix } from '../../../core/diagnosis.js';
import { MAX_IP_RULES } from '../../../core/registry.js';
import { hygieneBlocks } from './hygiene.js';
import { ACTION_IDS } from '../settings.js';
import {
  actions,
  context,
  divider,
  fieldSections,
  fitGroups,
  header,
  section,
  urlButton,
  valueButton,
  type Block,
  type SlackMessage,
} from './blocks.js';
import { clip, clipRaw, code, codeBlock, isSafeUrl, link, prose } from './escape.js';
import { CAUSE_EMOJI, FIREWALL_DOCS, TROUBLESHOOT_DOCS, diagnosisTitle, yesNo } from './words.js';

/** Per-piece budgets: one diagnosis stays well under the aggregate limit whatever Azure or the paste holds. */
const BUDGET = {
  summary: 1000,
  field: 250,
  excerpt: 700,
  fix: 450,
  fixes: 1800,
  maxFixes: 5,
  listItems: 8,
  fallbackLine: 300,
};

/** Data on the Request access button: what the approval flow needs to open a request. Validated by the handler. */
export interface RequestAccessValue {
  registryId: string;
  rule: string;
  ip: string | null;
}

/** Data on the Show rules button. */
export interface ShowRulesValue {
  registryId: string;
}

function list(items: string[], max = BUDGET.listItems): string {
  if (items.length === 0) return 'none';
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

function registryLabel(d: Diagnosis): string | null {
  if (d.registry) return d.registry.name;
  return d.finding.registryName ?? d.finding.loginServer;
}

function evidenceFields(d: Diagnosis): Array<[string, string]> {
  const e: Evidence = d.evidence;
  const f: Array<[string, string]> = [];
  const reg = d.registry;
  const name = registryLabel(d);
  if (name !== null) f.push(['Registry', reg ? `${code(reg.name)} (${code(reg.loginServer)})` : code(name)]);
  if (d.finding.ip !== null)
    f.push(['Client IP', code(d.finding.ip) + (e.ipClass && e.ipClass !== 'public' ? ` (${prose(e.ipClass)})` : '')]);
  if (e.sku !== undefined) f.push(['SKU', prose(e.sku)]);
  if (e.publicNetworkAccess !== undefined) f.push(['Public network access', e.publicNetworkAccess]);
  if (e.defaultAction !== undefined) f.push(['Default action', e.defaultAction]);
  if (e.ipRuleCount !== undefined) f.push(['IP rules', `${e.ipRuleCount} / ${e.ipRuleLimit ?? MAX_IP_RULES}`]);
  if (e.matchingRule) f.push(['Matching rule', code(e.matchingRule)]);
  if (e.nearRules && e.nearRules.length > 0) f.push(['Near rules', list(e.nearRules.map(code))]);
  if (e.privateEndpoints !== undefined) {
    f.push(['Private endpoints', list(e.privateEndpoints.map((p) => `${code(p.name)} ${prose(p.status)}`))]);
  }
  if (e.trustedServicesBypass !== undefined) f.push(['Trusted services bypass', yesNo(e.trustedServicesBypass)]);
  if (e.tasksBypass !== undefined) f.push(['ACR Tasks bypass', yesNo(e.tasksBypass)]);
  if (e.dataEndpointEnabled !== undefined) f.push(['Dedicated data endpoints', yesNo(e.dataEndpointEnabled)]);
  if (e.ipOwner) {
    const o = e.ipOwner;
    f.push([
      'IP owner',
      `${code(o.name)}${o.detail ? ` ${prose(o.detail)}` : ''}${o.service ? ` (${prose(o.service)})` : ''}`,
    ]);
  }
  if (e.searchedSubscriptions !== undefined) f.push(['Subscriptions searched', String(e.searchedSubscriptions)]);
  if (d.finding.repository !== null) {
    f.push([
      'Image',
      code(
        `${d.finding.repository}${d.finding.reference ? (d.finding.reference.startsWith('sha256:') ? '@' : ':') + d.finding.reference : ''}`,
      ),
    ]);
  }
  if (d.finding.tool !== null) f.push(['Tool', prose(d.finding.tool)]);
  return f.map(([label, value]) => [label, clip(value, BUDGET.field)]);
}

function fixLine(fix: Fix, n: number): string {
  let s = `${n}. *${prose(fix.title)}* ${prose(fix.detail)}`;
  if (fix.rule) s += ` Rule: ${code(fix.rule)}.`;
  if (fix.command) s += `\n${code(fix.command)}`;
  if (isSafeUrl(fix.docsUrl)) s += ` ${link(fix.docsUrl, 'Docs')}`;
  return clip(s, BUDGET.fix);
}

function fixesText(fixes: Fix[]): string | null {
  if (fixes.length === 0) return null;
  const lines = fixes.slice(0, BUDGET.maxFixes).map((f, i) => fixLine(f, i + 1));
  if (fixes.length > BUDGET.maxFixes) lines.push(`…and ${fixes.length - BUDGET.maxFixes} more.`);
  return clip(`*What to do*\n${lines.join('\n')}`, BUDGET.fixes);
}

/** The rule the bot may add through an approval, when a fix offers one for a registry we could read. */
export function requestableRule(d: Diagnosis): Fix | null {
  if (d.registry === null) return null;
  return (
    d.fixes.find((f) => f.requestable && f.kind === 'add_ip_rule' && typeof f.rule === 'string' && f.rule !== '') ??
    null
  );
}

function learnMoreUrl(d: Diagnosis): string {
  const docs = d.fixes.map((f) => f.docsUrl).find(isSafeUrl);
  if (docs) return docs;
  return d.finding.kind === 'firewall_denied' ? FIREWALL_DOCS : TROUBLESHOOT_DOCS;
}

function diagnosisBlocks(d: Diagnosis, i: number): Block[] {
  const id = `d${i}`;
  const blocks: Block[] = [];
  const title = `${CAUSE_EMOJI[d.cause]} *${prose(diagnosisTitle(d))}*`;
  blocks.push(section(`${title}\n${clip(prose(d.summary), BUDGET.summary)}`, id));
  blocks.push(...fieldSections(evidenceFields(d), `${id}_facts`));
  if (d.finding.excerpt.trim() !== '' && d.origin === 'paste') {
    const ex = clipRaw(d.finding.excerpt, BUDGET.excerpt);
    blocks.push(section(`${codeBlock(ex.text)}${ex.clipped ? '\n_(excerpt shortened)_' : ''}`, `${id}_paste`));
  }
  const fixes = fixesText(d.fixes);
  if (fixes !== null) blocks.push(section(fixes, `${id}_fixes`));
  const notes = d.evidence.notes?.filter((n) => n.trim() !== '') ?? [];
  if (notes.length > 0) blocks.push(context(clip(notes.map(prose).join(' · '), 1000), `${id}_notes`));

  if (d.hygiene) blocks.push(...hygieneBlocks(d.hygiene, id));
  const fix = requestableRule(d);
  const buttons = [
    fix && d.registry
      ? valueButton(
          ACTION_IDS.requestAccess,
          'Request access',
          JSON.stringify({ registryId: d.registry.id, rule: fix.rule!, ip: d.finding.ip } satisfies RequestAccessValue),
          'primary',
        )
      : null,
    d.registry
      ? valueButton(
          ACTION_IDS.showRules,
          'Show rules',
          JSON.stringify({ registryId: d.registry.id } satisfies ShowRulesValue),
        )
      : null,
    urlButton(ACTION_IDS.learnMore, 'Learn more', learnMoreUrl(d)),
  ];
  const row = actions(buttons, `${id}_actions`);
  if (row) blocks.push(row);
  return blocks;
}

function fallbackLine(d: Diagnosis): string {
  const parts = [diagnosisTitle(d)];
  const reg = registryLabel(d);
  if (reg !== null) parts.push(`registry ${reg}`);
  if (d.finding.ip !== null) parts.push(`IP ${d.finding.ip}`);
  return clip(`${prose(parts.join(' · '))}: ${prose(d.summary)}`, BUDGET.fallbackLine);
}

export function renderDiagnoses(diagnoses: Diagnosis[]): SlackMessage {
  if (diagnoses.length === 0) {
    return { text: 'No ACR error recognised.', blocks: [section('I did not recognise an ACR error in that message.')] };
  }
  // One diagnosis: its own title leads. Several: a header counts them and each keeps its title.
  const head = diagnoses.length === 1 ? [] : [header(`${diagnoses.length} ACR errors explained`)];
  const groups = diagnoses.map((d, i) => (i === 0 ? diagnosisBlocks(d, i) : [divider(), ...diagnosisBlocks(d, i)]));
  const blocks = fitGroups(head, groups, (omitted) =>
    context(
      `${omitted} more ${omitted === 1 ? 'error was' : 'errors were'} recognised but not shown here: run \`acr-access diagnose\` on the paste for all of them.`,
      'omitted',
    ),
  );
  const lines = diagnoses.slice(0, 5).map(fallbackLine);
  if (diagnoses.length > 5) lines.push(`…and ${diagnoses.length - 5} more`);
  return { text: clip(lines.join('\n'), 3000), blocks };
}
