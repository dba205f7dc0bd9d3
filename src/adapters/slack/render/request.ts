/**
 * `request` Reply: one access request's card, laid out from the neutral view (the same title, status line, facts,
 * warnings and buttons Teams shows). The same card is posted in the thread (and to approvers) and replaced in place
 * (`chat.update`) as the request moves. Slack has no per-user views, so a `conversation` card shows every button
 * `view.actions` offers to everyone; the use case re-checks each click and answers a non-approver privately. Button
 * value: JSON `{requestId, version}`, never parsed from text. A time fact is shown in the reader's time zone
 * (`<!date>`), with the view's UTC words as fallback.
 *
 * Every string from a person (reason, names) or Azure (error text) is escaped: no mention, `<!channel>` or link can
 * be injected, and people are named, never @mentioned.
 */
import type { RequestView, ViewFact } from '../../../core/approval-views.js';
import type { StatusTone } from '../../../core/approvals/request-words.js';
import { APPROVAL_ACTION_IDS } from '../settings.js';
import {
  actions,
  context,
  fieldSections,
  header,
  section,
  valueButton,
  type Block,
  type Button,
  type SlackMessage,
} from './blocks.js';
import { clip, prose } from './escape.js';
import { flagsText } from './flags.js';

/** What every request button carries: the request and the version the card showed (a stale click is refused). */
export interface RequestActionValue {
  requestId: string;
  version: number;
}

const BUDGET = { banner: 600, field: 1100, flags: 1000, note: 400 };

/** Emoji by status tone (the words come from the view). */
const TONE_EMOJI: Record<StatusTone, string> = {
  waiting: ':hourglass_flowing_sand:',
  working: ':gear:',
  good: ':large_green_circle:',
  bad: ':x:',
  ended: ':checkered_flag:',
};

/**
 * A time every reader sees in their own time zone (`<!date^unix^format|fallback>`, Slack's date formatting); the
 * fallback is the view's own words. Only ISO times we parsed go in.
 */
export function slackTime(iso: string, fallback: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return prose(fallback);
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${prose(fallback)}>`;
}

function factText(f: ViewFact): string {
  return clip(f.at ? slackTime(f.at, f.text) : prose(f.text.slice(0, BUDGET.field * 2)), BUDGET.field);
}

/** The card's buttons, in the order the view lists them. */
export function requestButtons(view: RequestView): Button[] {
  const value = JSON.stringify({
    requestId: view.request.id,
    version: view.request.version,
  } satisfies RequestActionValue);
  const out: Button[] = [];
  for (const b of view.buttons) {
    const button = valueButton(APPROVAL_ACTION_IDS[b.action], b.label, value);
    if (!button) continue;
    const style = b.weight === 'positive' ? 'primary' : b.weight === 'destructive' ? 'danger' : null;
    out.push(style ? { ...button, style } : button);
  }
  return out;
}

export function statusLine(view: RequestView): string {
  const lines = [`${TONE_EMOJI[view.status.tone]} *${prose(view.status.label)}*`];
  if (view.status.detail) lines.push(clip(prose(view.status.detail), BUDGET.banner));
  if (view.banner) lines.push(clip(prose(view.banner.slice(0, BUDGET.banner * 2)), BUDGET.banner));
  return lines.join('\n');
}

export function renderRequest(view: RequestView): SlackMessage {
  const blocks: Block[] = [
    header(view.title),
    section(statusLine(view), 'request_status'),
    ...fieldSections(
      view.facts.map((f) => [prose(f.label), factText(f)]),
      'request_facts',
    ),
  ];
  if (view.warnings)
    blocks.push(
      context(`*${prose(view.warnings.heading)}*\n${flagsText(view.warnings.items, BUDGET.flags)}`, 'request_flags'),
    );
  if (view.note) blocks.push(context(clip(prose(view.note), BUDGET.note), 'request_note'));
  const row = actions(requestButtons(view), 'request_actions');
  if (row) blocks.push(row);
  return { text: clip(prose(`${view.summary}`.slice(0, 3000)), 3000), blocks };
}
