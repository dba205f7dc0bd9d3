/**
 * Pieces the approval-flow cards share: status wording and colour, the buttons a request card can carry (each bound
 * to one request id and version), and the formatting of times, durations and people. Every string that came from a
 * user or from Azure goes through `md()`.
 */
import {
  APPROVAL_VERBS,
  type DurationChoice,
  type RequestAction,
  type ViewButton,
} from '../../../core/approval-views.js';
import type { StatusTone } from '../../../core/approvals/request-words.js';
import type { AccessRequest, Party } from '../../../core/requests/types.js';
import { md } from './escape.js';
import type { CardElement, Choice, ContainerStyle, ExecuteAction } from './types.js';

/** Container colour by status tone (the words come from the view). */
export const TONE_STYLE: Record<StatusTone, ContainerStyle> = {
  waiting: 'warning',
  working: 'accent',
  good: 'good',
  bad: 'attention',
  ended: 'emphasis',
};

const VERB: Record<RequestAction, string> = {
  approve: APPROVAL_VERBS.approve,
  deny: APPROVAL_VERBS.deny,
  narrow: APPROVAL_VERBS.narrow,
  cancel: APPROVAL_VERBS.cancel,
  retry: APPROVAL_VERBS.retry,
  extend: APPROVAL_VERBS.extend,
  revoke: APPROVAL_VERBS.revoke,
};

/** Actions only approvers get; a conversation card's refresh includes the requester when others are offered. */
export const APPROVER_ONLY: ReadonlySet<RequestAction> = new Set(['approve', 'deny', 'narrow']);

/** One button per offered action, in the view's order, each bound to this request and the version shown. */
export function requestButtons(request: AccessRequest, buttons: readonly ViewButton[]): ExecuteAction[] {
  const seen = new Set<RequestAction>();
  const out: ExecuteAction[] = [];
  for (const b of buttons) {
    if (seen.has(b.action)) continue;
    seen.add(b.action);
    out.push({
      type: 'Action.Execute',
      title: b.label,
      verb: VERB[b.action],
      data: { requestId: request.id, version: request.version },
      ...(b.weight ? { style: b.weight } : {}),
    });
  }
  return out;
}

/** `2025-11-23 14:05 UTC`: the same on every client and in golden files. */
export function formatTime(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return md(iso, 40);
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A person for display: display name, else email, else platform id; escaped. */
export function personName(p: Party | null): string {
  if (p === null) return 'the bot';
  return md(p.displayName?.trim() || p.email || `${p.platform} user ${p.id}`, 80);
}

export function durationChoices(durations: readonly DurationChoice[]): Choice[] {
  return durations.slice(0, 20).map((d) => ({ title: md(d.label, 60), value: d.value }));
}

/** Risk flags, one line each, in a warning box under `heading`. */
export function flagsContainer(heading: string, flags: readonly string[]): CardElement {
  return {
    type: 'Container',
    style: 'warning',
    spacing: 'Medium',
    items: [
      { type: 'TextBlock', text: heading, weight: 'Bolder', size: 'Small' },
      ...flags.slice(0, 10).map((f) => ({
        type: 'TextBlock' as const,
        text: `\u26A0 ${md(f, 300)}`,
        wrap: true,
        size: 'Small' as const,
        spacing: 'Small' as const,
      })),
    ],
  };
}
