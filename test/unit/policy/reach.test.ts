import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/adapters/policy/load.js';
import { unreachableParts } from '../../../src/core/policy/reach.js';

const POLICY = `
version: 1
defaults:
  approvers: [carol@contoso.com]
  notify: { directMessages: true }
registries:
  - match: slack-only-*
    approvers: ["slack:U0ERIN001"]
  - match: groups-*
    approvers: ["group:S0PLATFORM"]
  - match: channel-*
    approvers: ["group:S0PLATFORM"]
    notify: { channels: [{ slack: C0APPROVERS }] }
`;

describe('approvers nobody can reach', () => {
  const policy = parsePolicy(POLICY, 'policy.yaml');

  it('with Teams only: Slack ids, groups without a channel, and a Slack notify channel reach nobody', () => {
    expect(unreachableParts(policy, new Set(['teams']))).toEqual([
      { source: 'registries[0]', registries: ['slack-only-*'], approvers: ['Slack user U0ERIN001'] },
      { source: 'registries[1]', registries: ['groups-*'], approvers: ['group s0platform'] },
      { source: 'registries[2]', registries: ['channel-*'], approvers: ['group s0platform'] },
    ]);
  });

  it('with Slack on too: only the group without a channel is left', () => {
    expect(unreachableParts(policy, new Set(['teams', 'slack'])).map((p) => p.registries)).toEqual([['groups-*']]);
  });
});
