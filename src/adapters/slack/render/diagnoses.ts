/**
 * `diagnoses` Reply → one message. Compact by default: per pasted error the cause (or a check's verdict) in a title
 * and one sentence, and the actions Request access / Show rules / Learn more, with Details on the first. A Slack
 * message cannot hide a part of itself, so Details carries the words that were answered (like Try again) and the
 * handler answers it with the same diagnoses `expanded`, which the listener shows in a modal for the person who
 * clicked: the channel's message stays short for everyone. Expanded (and whenever the words are too long for a
 * button, or unknown, as in a slash command's private answer): the evidence as fields, the paste excerpt and every
 * fix as well. The words are the neutral view's (core/diagnose/view.ts); this only lays them out. Every piece is
 * clipped so one diagnosis always fits; further diagnoses are kept while the message fits and the rest are counted
 * in a closing line.
 */
import { diagnosisView, type DiagnosisView, type FixView } from '../../../core/diagnose/view.js';
import { DIAGNOSIS_WORDS, moreErrors, moreFixes } from '../../../core/diagnose/words.js';
import type { Diagnosis } from '../../../core/diagnosis.js';
import { hygieneBlocks, hygieneOffers } from './hygiene.js';
import { ACTION_IDS } from '../settings.js';
import {
  actions,
  context,
  divider,
  fieldSections,
  fitGroups,
  LIMITS,
  section,
  urlButton,
  valueButton,
  type Block,
  type SlackMessage,
} from './blocks.js';
import { clip, clipRaw, code, codeBlock, isSafeUrl, link, prose } from './escape.js';
import { CAUSE_EMOJI } from './words.js';

/** Per-piece budgets: one diagnosis stays well under the aggregate limit whatever Azure or the paste holds. */
const BUDGET = {
  summary: 1000,
  field: 250,
  excerpt: 700,
  fix: 450,
  fixes: 1800,
  fallbackLine: 300,
};

/** Data on the Request access button: what the approval flow needs to open a request. Validated by the handler. */
export interface RequestAccessValue {
  registryId: string;
  rule: string;
  ip: string | null;
}

/** Data on the Details button: the words that were answered, read again by the handler. */
export interface DetailsValue {
  text: string;
  addressed: boolean;
}

/** Data on the Show rules button. */
export interface ShowRulesValue {
  registryId: string;
}

function fixLine(fix: FixView, n: number): string {
  let s = `${n}. *${prose(fix.title)}* ${prose(fix.detail)}`;
  if (fix.code) s += `\n${code(fix.code)}`;
  if (isSafeUrl(fix.docsUrl)) s += ` ${link(fix.docsUrl, 'Docs')}`;
  return clip(s, BUDGET.fix);
}

function fixesText(v: DiagnosisView): string | null {
  if (v.fixes.length === 0) return null;
  const lines = v.fixes.map((f, i) => fixLine(f, i + 1));
  if (v.moreFixes > 0) lines.push(prose(moreFixes(v.moreFixes)));
  const heading = v.fixes.length === 1 && v.moreFixes === 0 ? DIAGNOSIS_WORDS.fix : DIAGNOSIS_WORDS.fixes;
  return clip(`*${heading}*\n${lines.join('\n')}`, BUDGET.fixes);
}

/** Request access, Show rules and Learn more, as the view offers them. */
function mainButtons(v: DiagnosisView) {
  const ra = v.requestAccess;
  return [
    ra
      ? valueButton(
          ACTION_IDS.requestAccess,
          DIAGNOSIS_WORDS.requestAccess,
          JSON.stringify({ registryId: ra.registryId, rule: ra.rule, ip: ra.ip } satisfies RequestAccessValue),
          'primary',
        )
      : null,
    v.showRules
      ? valueButton(
          ACTION_IDS.showRules,
          DIAGNOSIS_WORDS.showRules,
          JSON.stringify({ registryId: v.showRules.registryId } satisfies ShowRulesValue),
        )
      : null,
    urlButton(ACTION_IDS.learnMore, DIAGNOSIS_WORDS.learnMore, isSafeUrl(v.learnMore) ? v.learnMore : v.causeDocs),
  ];
}

function diagnosisBlocks(d: Diagnosis, v: DiagnosisView, i: number, details: string | null): Block[] {
  const id = `d${i}`;
  const blocks: Block[] = [];
  const title = `${CAUSE_EMOJI[d.cause]} *${prose(v.title)}*`;
  blocks.push(section(`${title}\n${clip(prose(v.summary), BUDGET.summary)}`, id));
  if (details !== null) {
    if (v.hygiene) blocks.push(...hygieneOffers(v.hygiene, id));
    const buttons = [
      ...mainButtons(v),
      i === 0 ? valueButton(ACTION_IDS.details, DIAGNOSIS_WORDS.details, details) : null,
    ];
    const row = actions(buttons, `${id}_actions`);
    return row ? [...blocks, row] : blocks;
  }
  blocks.push(
    ...fieldSections(
      v.facts.map((f) => [f.label, clip(prose(f.text), BUDGET.field)]),
      `${id}_facts`,
    ),
  );
  if (v.excerpt !== null) {
    const ex = clipRaw(v.excerpt, BUDGET.excerpt);
    blocks.push(section(`${codeBlock(ex.text)}${ex.clipped ? '\n_(excerpt shortened)_' : ''}`, `${id}_paste`));
  }
  const fixes = fixesText(v);
  if (fixes !== null) blocks.push(section(fixes, `${id}_fixes`));
  if (v.notes.length > 0) blocks.push(context(clip(v.notes.map(prose).join(' · '), 1000), `${id}_notes`));
  if (v.hygiene) blocks.push(...hygieneBlocks(v.hygiene, id));
  const row = actions(mainButtons(v), `${id}_actions`);
  if (row) blocks.push(row);
  return blocks;
}

function fallbackLine(d: Diagnosis, v: DiagnosisView): string {
  const parts = [v.title];
  const reg = d.registry?.name ?? d.finding.registryName ?? d.finding.loginServer;
  if (reg) parts.push(`registry ${reg}`);
  if (d.finding.ip !== null) parts.push(`IP ${d.finding.ip}`);
  return clip(`${prose(parts.join(' · '))}: ${prose(v.summary)}`, BUDGET.fallbackLine);
}

export interface DiagnosesOptions {
  /** Everything at once, with no Details button. */
  expanded?: boolean;
  /** The words that were answered: Details carries them. Without them the message is expanded. */
  words?: DetailsValue;
}

export function renderDiagnoses(diagnoses: Diagnosis[], options: DiagnosesOptions = {}): SlackMessage {
  if (diagnoses.length === 0) {
    return { text: DIAGNOSIS_WORDS.noneRecognised, blocks: [section(DIAGNOSIS_WORDS.noneRecognised)] };
  }
  const views = diagnoses.map(diagnosisView);
  const value = options.words ? JSON.stringify(options.words satisfies DetailsValue) : null;
  const details = !options.expanded && value !== null && value.length <= LIMITS.buttonValue ? value : null;
  const groups = diagnoses.map((d, i) => {
    const blocks = diagnosisBlocks(d, views[i]!, i, details);
    return i === 0 ? blocks : [divider(), ...blocks];
  });
  const blocks = fitGroups([], groups, (omitted) => context(prose(moreErrors(omitted)), 'omitted'));
  const lines = diagnoses.slice(0, 5).map((d, i) => fallbackLine(d, views[i]!));
  if (diagnoses.length > 5) lines.push(`…and ${diagnoses.length - 5} more`);
  return { text: clip(lines.join('\n'), 3000), blocks };
}
