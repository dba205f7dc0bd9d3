/** Reply → Adaptive Card 1.5: one renderer per variant, an exhaustive switch so a new variant fails to compile. */
import { assertNever, type Reply } from '../../../core/reply.js';
import { renderAudit } from './audit.js';
import { renderDiagnoses } from './diagnoses.js';
import { renderFirewall } from './firewall.js';
import { renderForm } from './form.js';
import { renderHelp } from './help.js';
import { renderNotice, type RetryData } from './notice.js';
import { renderRequest } from './request.js';
import { renderRequests } from './requests.js';
import type { AdaptiveCard } from './types.js';

/** What the adapter knows about where a card goes that the Reply itself does not say. */
export interface RenderOptions {
  /** The words a retryable notice answered, so Try again can read them again. */
  retry?: RetryData;
  /** For a `request` card: the Teams user ids (`29:…`) whose clients fetch their own view (refresh.userIds). */
  refreshUserIds?: readonly string[];
}

export function renderReply(reply: Reply, options: RenderOptions = {}): AdaptiveCard {
  switch (reply.type) {
    case 'diagnoses':
      return renderDiagnoses(reply.diagnoses, reply.expanded === true);
    case 'firewall':
      return renderFirewall(reply.registry, reply.hygiene);
    case 'help':
      return renderHelp();
    case 'notice':
      return renderNotice(reply, options.retry);
    case 'request_form':
    case 'decision_form':
      return renderForm(reply.form);
    case 'request':
      return renderRequest(reply.view, options.refreshUserIds ? { refreshUserIds: options.refreshUserIds } : {});
    case 'requests':
      return renderRequests(reply.title, reply.note, reply.views);
    case 'audit':
      return renderAudit(reply.view);
    default:
      return assertNever(reply);
  }
}
