/**
 * `audit` Reply (`@bot audit <registry>`): recent audit events, oldest first, each with who did what and, when the
 * event made or observed an ARM write, the rules it added and removed (before/after diff). When they do not all fit
 * in one message the newest are kept and the earlier ones are counted.
 */
import type { AuditView } from '../../../core/approval-views.js';
import { nameOf, ruleDiff } from '../../../core/requests/audit.js';
import type { AuditEvent } from '../../../core/requests/types.js';
import { context, header, LIMITS, section, type Block, type SlackMessage } from './blocks.js';
import { clip, code, prose } from './escape.js';
import { AUDIT_WORDS, when } from '../../../core/approvals/request-words.js';
import { slackTime } from './request.js';

const MAX_DIFF = 8;

function listRules(rules: string[]): string {
  const shown = rules.slice(0, MAX_DIFF).map(code).join(' ');
  return rules.length > MAX_DIFF ? `${shown} and ${rules.length - MAX_DIFF} more` : shown;
}

/** "Rules 3 → 4: + `203.0.113.7/32`", or null when the event carries no before/after. */
export function diffLine(e: Pick<AuditEvent, 'before' | 'after'>): string | null {
  if (!e.before || !e.after) return null;
  const { added, removed } = ruleDiff(e.before, e.after);
  const parts = [`Rules ${e.before.length} → ${e.after.length}`];
  if (added.length > 0) parts.push(`+ ${listRules(added)}`);
  if (removed.length > 0) parts.push(`− ${listRules(removed)}`);
  if (added.length === 0 && removed.length === 0) parts.push('unchanged');
  return parts.join(' · ');
}

function eventText(e: AuditEvent, showRegistry: boolean): string {
  const head = [`*${AUDIT_WORDS[e.type] ?? prose(e.type)}*`, slackTime(e.at, when(e.at))];
  if (e.rule) head.push(code(e.rule));
  if (showRegistry && e.registryName) head.push(prose(e.registryName));
  const lines = [head.join(' · '), clip(prose(e.summary), 500)];
  const meta = [`by ${clip(prose(nameOf(e.actor).slice(0, 200)), 80)}`];
  if (e.fromStatus || e.toStatus) meta.push(`${e.fromStatus ?? '-'} → ${e.toStatus ?? '-'}`);
  if (e.requestId) meta.push(`request ${code(e.requestId)}`);
  if (e.correlationId) meta.push(`correlation ${code(e.correlationId)}`);
  lines.push(clip(meta.join(' · '), 400));
  const diff = diffLine(e);
  if (diff) lines.push(clip(diff, 900));
  return lines.join('\n');
}

export function renderAudit(view: AuditView): SlackMessage {
  const title = `Audit: ${view.registry ?? 'all registries'}`;
  const head: Block[] = [header(title)];
  if (view.events.length === 0) {
    return {
      text: clip(prose(`${title}: no events`), 3000),
      blocks: [...head, section('No audit events yet.', 'none')],
    };
  }
  // Keep the newest events that fit (blocks and the aggregate JSON budget), shown oldest first.
  const reserve = 400;
  let size = JSON.stringify(head).length + reserve;
  const kept: Block[] = [];
  for (let i = view.events.length - 1; i >= 0; i -= 1) {
    const b = section(eventText(view.events[i]!, view.registry === null), `e${view.events[i]!.seq}`);
    const bSize = JSON.stringify(b).length + 1;
    if (kept.length > 0 && (kept.length + head.length + 2 >= LIMITS.blocks || size + bSize > LIMITS.totalBlocksJson))
      break;
    kept.unshift(b);
    size += bSize;
  }
  const earlier = view.events.length - kept.length;
  const notes: string[] = [];
  if (earlier > 0) notes.push(`${earlier} earlier ${earlier === 1 ? 'event' : 'events'} not shown.`);
  if (view.truncated) notes.push('Older events exist.');
  if (notes.length > 0) notes.push('`acr-access audit --format csv` exports the whole log.');
  const blocks: Block[] = [...head, ...(notes.length > 0 ? [context(notes.join(' '), 'audit_more')] : []), ...kept];
  const last = view.events[view.events.length - 1]!;
  return { text: clip(prose(`${title}: ${view.events.length} events, latest: ${last.summary}`), 3000), blocks };
}
