/**
 * What people typed or pasted reaches cards inert on both platforms: a right-to-left override (U+202E), isolates,
 * marks and NUL in a requester's name, a request's reason and ticket, an approver's name in policy, and a pasted
 * excerpt are dropped from every string of the rendered Adaptive Card and Block Kit message, and the visible
 * characters around them stay.
 */
import { describe, expect, it } from 'vitest';
import { renderReply as renderSlack } from '../../src/adapters/slack/render/index.js';
import { renderReply as renderTeams } from '../../src/adapters/teams/cards/render.js';
import type { Reply } from '../../src/core/reply.js';
import { hasInvisible } from '../../src/core/text/invisible.js';
import { accessRequest, requestView } from '../golden/slack/approval-samples.js';
import { BY_CAUSE, DENIED_TEXT, finding } from '../golden/slack/samples.js';

const EVIL = 'Eve\u202Egnp.exe\u0000\u2066\u200F';

/** Every string anywhere in a rendered card or message. */
function strings(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string') out.push(node);
  else if (Array.isArray(node)) for (const n of node) strings(n, out);
  else if (node && typeof node === 'object') for (const v of Object.values(node)) strings(v, out);
  return out;
}

const request: Reply = {
  type: 'request',
  view: requestView(
    accessRequest({
      reason: `ship it ${EVIL}`,
      ticket: `INC-1 ${EVIL}`,
      requester: { platform: 'slack', id: 'U0EVIL01', email: null, displayName: `Mallory ${EVIL}` },
    }),
    { approvers: [{ kind: 'slack', value: 'U0CAROL1', name: `Carol ${EVIL}` }] },
  ),
};
const paste: Reply = {
  type: 'diagnoses',
  diagnoses: [{ ...BY_CAUSE.ip_not_allowed, finding: finding({ excerpt: `${DENIED_TEXT}\n${EVIL}` }) }],
};

describe('echoed text is inert', () => {
  for (const [name, reply] of Object.entries({ request, paste })) {
    for (const [platform, render] of [
      ['Teams', (r: Reply) => renderTeams(r)],
      ['Slack', (r: Reply) => renderSlack(r)],
    ] as const) {
      it(`${platform}: the ${name} card carries no control or bidirectional character, and keeps the words`, () => {
        const all = strings(render(reply));
        expect(all.filter(hasInvisible)).toEqual([]);
        expect(all.join('\n')).toContain('Evegnp.exe');
        if (name === 'request')
          for (const shown of ['Mallory Evegnp.exe', 'ship it Evegnp.exe']) expect(all.join('\n')).toContain(shown);
      });
    }
  }
});
