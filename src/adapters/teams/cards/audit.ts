/**
 * `audit` Reply (`@bot audit <registry>`): recent audit events as rows (time, what happened, who, which rule) and,
 * for events that wrote or observed the firewall, the before/after diff of the registry's IP rules. Newest last, as
 * the log reads; the full log is the CLI's (`acr-access audit`).
 */
import type { AuditView } from '../../../core/approval-views.js';
import { AUDIT_WORDS } from '../../../core/approvals/request-words.js';
import { ruleDiff } from '../../../core/requests/audit.js';
import type { AuditEvent } from '../../../core/requests/types.js';
import { md, verbatim } from './escape.js';
import { formatTime, personName } from './request-parts.js';
import { card, type AdaptiveCard, type CardElement } from './types.js';

/** Events shown on one card (Teams cards are limited to about 28 KB); the most recent ones. */
export const MAX_AUDIT_EVENTS = 25;
/** Diff lines shown per event. */
const MAX_DIFF_LINES = 12;

function diff(e: AuditEvent): CardElement[] {
  if (e.before === null || e.after === null) return [];
  const { added, removed } = ruleDiff(e.before, e.after);
  const lines = [...added.map((r) => `+ ${r}`), ...removed.map((r) => `- ${r}`)];
  const shown = lines.slice(0, MAX_DIFF_LINES);
  if (lines.length > shown.length) shown.push(`… ${lines.length - shown.length} more`);
  const summary = `IP rules: ${e.before.length} before, ${e.after.length} after${lines.length === 0 ? ', no change' : ''}`;
  const out: CardElement[] = [
    { type: 'TextBlock', text: summary, size: 'Small', isSubtle: true, spacing: 'None', wrap: true },
  ];
  if (shown.length > 0) {
    out.push({
      type: 'RichTextBlock',
      spacing: 'None',
      inlines: [{ type: 'TextRun', text: verbatim(shown.join('\n'), 1200), fontType: 'Monospace', size: 'Small' }],
    });
  }
  return out;
}

function row(e: AuditEvent, first: boolean): CardElement {
  const who = e.actor ? personName(e.actor) : 'the bot';
  return {
    type: 'ColumnSet',
    ...(first ? { spacing: 'Small' as const } : { separator: true, spacing: 'Medium' as const }),
    columns: [
      {
        type: 'Column',
        width: 'auto',
        items: [
          { type: 'TextBlock', text: formatTime(e.at), size: 'Small', isSubtle: true },
          {
            type: 'TextBlock',
            text: AUDIT_WORDS[e.type] ?? md(e.type.replace(/_/g, ' '), 40),
            size: 'Small',
            weight: 'Bolder',
            spacing: 'None',
          },
        ],
      },
      {
        type: 'Column',
        width: 'stretch',
        items: [
          { type: 'TextBlock', text: md(e.summary, 300), wrap: true, size: 'Small' },
          {
            type: 'TextBlock',
            text: [who, e.rule ? md(e.rule, 60) : null, e.requestId ? `request ${md(e.requestId, 80)}` : null]
              .filter(Boolean)
              .join(' · '),
            wrap: true,
            size: 'Small',
            isSubtle: true,
            spacing: 'None',
          },
          ...diff(e),
        ],
      },
    ],
  };
}

export function renderAudit(view: AuditView): AdaptiveCard {
  const events = view.events.slice(-MAX_AUDIT_EVENTS);
  const title = view.registry ? `Audit log: ${md(view.registry, 60)}` : 'Audit log';
  const body: CardElement[] = [{ type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true }];
  if (events.length === 0)
    body.push({ type: 'TextBlock', text: 'No events recorded yet.', wrap: true, isSubtle: true });
  for (const [i, e] of events.entries()) body.push(row(e, i === 0));
  const hidden = view.events.length - events.length;
  if (view.truncated || hidden > 0) {
    body.push({
      type: 'TextBlock',
      text: `Older events are not shown here; the CLI exports the whole log: acr-access audit${view.registry ? ` --registry ${md(view.registry, 60)}` : ''} --format csv`,
      wrap: true,
      size: 'Small',
      isSubtle: true,
      spacing: 'Medium',
    });
  }
  return card(body, {
    fallbackText: md(
      `${view.registry ? `Audit log of ${view.registry}` : 'Audit log'}: ${view.events.length} events`,
      150,
    ),
  });
}
