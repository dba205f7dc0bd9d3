/** Reply → Adaptive Card 1.5: one renderer per variant, an exhaustive switch so a new variant fails to compile. */
import { assertNever, type Reply } from '../../../core/reply.js';
import { renderApproval } from './approval.js';
import { renderDiagnoses } from './diagnoses.js';
import { renderFirewall } from './firewall.js';
import { renderHelp } from './help.js';
import { renderNotice } from './notice.js';
import type { AdaptiveCard } from './types.js';

export function renderReply(reply: Reply): AdaptiveCard {
  switch (reply.type) {
    case 'diagnoses':
      return renderDiagnoses(reply.diagnoses);
    case 'firewall':
      return renderFirewall(reply.registry);
    case 'help':
      return renderHelp();
    case 'notice':
      return renderNotice(reply);
    case 'request_form':
    case 'decision_form':
    case 'request':
    case 'requests':
    case 'audit':
      return renderApproval(reply);
    default:
      return assertNever(reply);
  }
}
