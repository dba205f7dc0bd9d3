/**
 * Block Kit for every Reply variant (exhaustive: a new variant does not compile until it is rendered here).
 * Everything from users or Azure is escaped; every message fits Slack's limits (checked by `blockKitProblems`).
 */
import { asSnapshot } from '../../../core/approval-views.js';
import { assertNever, type Reply } from '../../../core/reply.js';
import { renderAudit } from './audit.js';
import type { SlackMessage } from './blocks.js';
import { renderDiagnoses } from './diagnoses.js';
import { renderFirewall } from './firewall.js';
import { renderDecisionFormMessage, renderRequestFormMessage } from './forms.js';
import { renderHelp, renderNotice, type RetryValue } from './notice.js';
import { renderRequest } from './request.js';
import { renderRequests } from './requests.js';

export type { SlackMessage } from './blocks.js';
export { blockKitProblems } from './blocks.js';
export type { RetryValue } from './notice.js';

export interface RenderOptions {
  /** The words that produced this reply: Try again on a retryable notice, Details on a compact diagnosis. */
  retry?: RetryValue;
  /**
   * The message can never be updated by the bot (an ephemeral answer, a modal's outcome, a DM sent instead of one):
   * a request in it is shown as a snapshot, with its time and no button, so it cannot go stale with live buttons.
   */
  snapshot?: boolean;
}

export function renderReply(reply: Reply, options: RenderOptions = {}): SlackMessage {
  switch (reply.type) {
    case 'diagnoses':
      return renderDiagnoses(reply.diagnoses, {
        expanded: reply.expanded === true,
        ...(options.retry ? { words: options.retry } : {}),
      });
    case 'firewall':
      return renderFirewall(reply.registry, reply.hygiene);
    case 'help':
      return renderHelp();
    case 'notice':
      return renderNotice(reply, options.retry);
    case 'request_form':
      return renderRequestFormMessage(reply.form);
    case 'decision_form':
      return renderDecisionFormMessage(reply.form);
    case 'request':
      return renderRequest(options.snapshot ? asSnapshot(reply.view) : reply.view);
    case 'requests':
      return renderRequests(reply.title, reply.note, reply.views);
    case 'audit':
      return renderAudit(reply.view);
    default:
      return assertNever(reply);
  }
}
