/**
 * The rule-quota section and a cleanup request card, rendered for both platforms from the fixture registry of 200
 * rules: the Teams card passes the Adaptive Card schema check of the golden tests, the Slack message stays within
 * every Block Kit limit, and both carry core's words and the Free 5 slots button.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blockKitProblems, renderReply as renderSlack } from '../../../src/adapters/slack/render/index.js';
import { renderReply as renderTeams } from '../../../src/adapters/teams/cards/render.js';
import { analyseRules, cleanupLabel, cleanupOf, cleanupReason, hygieneView } from '../../../src/core/quota/index.js';
import type { Reply } from '../../../src/core/reply.js';
import { accessRequest, requestView } from '../../golden/slack/approval-samples.js';
import { BY_CAUSE, registry } from '../../golden/teams/fixtures.js';
import { validateCard } from '../../golden/teams/validate-card.js';
import { FABRIKAM, QUOTA_STATE } from '../../support/quota-fixture.js';

const state = JSON.parse(fs.readFileSync(QUOTA_STATE, 'utf8')) as {
  registries: Array<{ properties: { networkRuleSet: { ipRules: Array<{ value: string }> } } }>;
};
const rules = state.registries[0]!.properties.networkRuleSet.ipRules.map((r) => r.value);
const full = registry({ name: FABRIKAM.name, id: FABRIKAM.id, ipRules: rules });
const h = analyseRules(rules);
const view = hygieneView({
  registry: { id: FABRIKAM.id, name: FABRIKAM.name },
  hygiene: h,
  mergeVerdicts: [],
  stale: [
    { value: '20.61.14.37/32', requestId: '5d0f2a8e-1c3b-4d5e-8f90-0a1b2c3d4e5f', endedAt: '2026-03-01T10:00:00.000Z' },
  ],
  offerRefusal: null,
});
const cleanup = cleanupOf(h);
const cleanupRequest = accessRequest({
  kind: 'cleanup',
  rule: cleanupLabel(cleanup),
  durationMs: null,
  reason: cleanupReason(cleanup, FABRIKAM.name, 200),
  registry: { id: FABRIKAM.id, name: FABRIKAM.name, loginServer: `${FABRIKAM.name}.azurecr.io` },
  cleanup,
});

const replies: Array<[string, Reply]> = [
  ['firewall', { type: 'firewall', registry: full, hygiene: view }],
  [
    'rule_quota_full diagnosis',
    { type: 'diagnoses', diagnoses: [{ ...BY_CAUSE.rule_quota_full, registry: full, hygiene: view }] },
  ],
  [
    'cleanup request',
    {
      type: 'request',
      view: requestView(cleanupRequest, { flags: ['Nobody loses access through the 5 rules taken off: …'] }),
    },
  ],
];

describe('rule quota on both platforms', () => {
  it.each(replies)('%s: a valid Adaptive Card and a Slack message within Block Kit limits', (name, reply) => {
    const card = renderTeams(reply, { refreshUserIds: ['29:carol-teams-id'] });
    expect(validateCard(card)).toEqual([]);
    const message = renderSlack(reply);
    expect(blockKitProblems(message)).toEqual([]);
    const teams = JSON.stringify(card);
    const slack = JSON.stringify(message);
    if (name === 'cleanup request') {
      for (const json of [teams, slack]) expect(json).toContain('Rule cleanup: free 5 slots on fabrikamprod');
      return;
    }
    for (const json of [teams, slack]) {
      expect(json).toContain('Covered by a wider rule (3)');
      expect(json).toContain('81.2.69.64/29 is inside 81.2.69.0/24, which stays');
      expect(json).toContain('Rules of ended grants still on the registry (1)');
      expect(json).toContain('Free 5 slots');
      expect(json).toContain('"free_slots"');
    }
  });
});
