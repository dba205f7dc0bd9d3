import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicy, parsePolicy, PolicyError } from '../../../src/adapters/policy/load.js';
import { DEFAULT_SETTINGS } from '../../../src/core/policy/defaults.js';
import { HOUR_MS, DAY_MS, MINUTE_MS } from '../../../src/core/policy/duration.js';

function problems(text: string, file = '/etc/acr/policy.yaml'): string[] {
  try {
    parsePolicy(text, file);
  } catch (err) {
    if (err instanceof PolicyError) return err.problems;
    throw err;
  }
  throw new Error('expected the policy to be refused');
}

const MINIMAL = 'version: 1\ndefaults:\n  approvers: [alice@contoso.com]\n';

describe('policy.example.yaml', () => {
  const example = path.resolve(__dirname, '../../../policy.example.yaml');

  it('is a valid policy, and every setting key it documents is one the validator knows', () => {
    const p = loadPolicy(example);
    expect(p.configured).toBe(true);
    expect(p.defaults.approvers).toHaveLength(4);
    expect(p.registries).toHaveLength(2);
    expect(p.channels).toHaveLength(3);
    // The second registries entry inherits everything it does not set from defaults.
    expect(p.registries[1]!.policy.approvers).toEqual(p.defaults.approvers);
    expect(p.registries[1]!.policy.durations).toEqual({ defaultMs: 4 * HOUR_MS, maxMs: 7 * DAY_MS });
    expect(p.registries[0]!.policy.breakGlass).toEqual({
      enabled: true,
      maxDurationMs: 30 * MINUTE_MS,
      allowedFor: 'approvers',
    });
  });

  it('shows the built-in defaults for the keys it documents', () => {
    const p = loadPolicy(example);
    const { approvers: _a, source: _s, notify: _n, ...documented } = p.defaults;
    const { approvers: _b, source: _t, notify: _m, ...builtIn } = DEFAULT_SETTINGS;
    expect(documented).toEqual(builtIn);
  });

  it('documents every key with a comment', () => {
    const text = fs.readFileSync(example, 'utf8');
    for (const key of [
      'version',
      'defaults',
      'approvers',
      'minApprovals',
      'selfApproval',
      'breakGlass',
      'enabled',
      'maxDuration',
      'allowedFor',
      'duration',
      'default',
      'max',
      'allowPermanent',
      'broadestPrefix',
      'requireReason',
      'requireTicket',
      'pendingTimeout',
      'reminderInterval',
      'notify',
      'channels',
      'directMessages',
      'name',
      'registries',
      'match',
      'direct',
    ]) {
      expect(text, key).toMatch(new RegExp(`^\\s*(- )?${key}:`, 'm'));
    }
  });
});

describe('loadPolicy', () => {
  it('without POLICY_FILE gives the built-in policy, which nobody can approve under', () => {
    const p = loadPolicy(null);
    expect(p.configured).toBe(false);
    expect(p.defaults.approvers).toEqual([]);
  });

  it('reports an unreadable file by name', () => {
    expect(() => loadPolicy(path.join(os.tmpdir(), 'no-such-policy.yaml'))).toThrow(
      /no-such-policy\.yaml: cannot be read \(ENOENT\)/,
    );
  });

  it('reads a file from disk', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-'));
    const file = path.join(dir, 'policy.yaml');
    fs.writeFileSync(file, MINIMAL);
    try {
      expect(loadPolicy(file).file).toBe(file);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('validation errors name the file, the line and the key path', () => {
  it('a bad value in a list item', () => {
    const text = [
      'version: 1', // 1
      'defaults:', // 2
      '  approvers: [alice@contoso.com, bob@contoso.com]', // 3
      'registries:', // 4
      '  - match: dev*', // 5
      '    minApprovals: 1', // 6
      '  - match: prod*', // 7
      '    approvers:', // 8
      '      - carol@contoso.com', // 9
      '      - teams:not-a-guid', // 10
      '    selfApproval: "no"', // 11
      '    minApprovals: 0', // 12
    ].join('\n');
    expect(problems(text)).toEqual([
      'policy.yaml:10: registries[1].approvers[1] "teams:not-a-guid" is not a Teams user\'s Azure AD object id (a GUID)',
      'policy.yaml:11: registries[1].selfApproval must be true or false',
      'policy.yaml:12: registries[1].minApprovals must be a positive integer (1 to 20)',
    ]);
  });

  it('unknown keys, with a suggestion for near misses', () => {
    expect(problems(`${MINIMAL}  minAprovals: 2\n  colour: blue\n`)).toEqual([
      'policy.yaml:4: defaults.minAprovals is not a known key (did you mean minApprovals?)',
      expect.stringMatching(/^policy\.yaml:5: defaults\.colour is not a known key \(known keys: approvers, /),
    ]);
  });

  it('a missing required key points at the enclosing node', () => {
    expect(
      problems('defaults:\n  approvers: [alice@contoso.com]\nregistries:\n  - approvers: [bob@contoso.com]\n'),
    ).toEqual([
      'policy.yaml:1: version is required: add "version: 1" at the top',
      'policy.yaml:4: registries[0] needs match: a registry name glob or resource-id prefix (or a list of them)',
    ]);
  });

  it('YAML syntax errors carry their line', () => {
    expect(problems('version: 1\ndefaults:\n  approvers: [a@b.c\n  x: 1\n')[0]).toMatch(/^policy\.yaml:\d+: /);
  });

  it('duplicate keys are refused (a second value must not silently win)', () => {
    expect(problems(`${MINIMAL}  minApprovals: 1\n  minApprovals: 2\n`)[0]).toMatch(/^policy\.yaml:5: .*unique/i);
  });

  it('durations, prefixes and cross-field limits', () => {
    const text = [
      'version: 1',
      'defaults:',
      '  approvers: [alice@contoso.com]',
      '  duration: { default: 2d, max: 1d }', // 4
      '  pendingTimeout: 3600', // 5
      '  broadestPrefix: 0', // 6
      '  reminderInterval: off',
      '  breakGlass: { enabled: true, maxDuration: 2d, allowedFor: everyone }', // 8
    ].join('\n');
    expect(problems(text)).toEqual([
      'policy.yaml:4: defaults.duration.default (2d) must not exceed duration.max (1d)',
      'policy.yaml:5: defaults.pendingTimeout must be a duration like 30m, 4h, 2d or 1h30m',
      'policy.yaml:6: defaults.broadestPrefix must be a prefix length from 1 to 32 (32 = single addresses; 0.0.0.0/0 is never allowed)',
      'policy.yaml:8: defaults.breakGlass.allowedFor must be approvers or requesters',
      'policy.yaml:8: defaults.breakGlass.maxDuration (2d) must not exceed duration.max (1d)',
    ]);
  });

  it('N-of-M that can never be met', () => {
    expect(
      problems('version: 1\ndefaults:\n  approvers: [a@contoso.com, slack:U0ABCDEF]\n  minApprovals: 3\n'),
    ).toEqual([
      'policy.yaml:4: defaults.minApprovals (3) is more than the 2 approver(s) listed, so no request could ever be approved',
    ]);
    // With a group the number of people is unknown, so it is allowed.
    expect(() =>
      parsePolicy(
        'version: 1\ndefaults:\n  approvers: [a@contoso.com, "group:S0GROUP1"]\n  minApprovals: 3\n',
        'p.yaml',
      ),
    ).not.toThrow();
  });

  it('a policy with no approvers anywhere', () => {
    expect(problems('version: 1\nregistries:\n  - match: "*"\n')).toEqual([
      'policy.yaml:1: defaults.approvers is empty and no registries entry names approvers, so no request could ever be approved',
    ]);
  });

  it('ambiguous and malformed approvers', () => {
    const out = problems(
      'version: 1\ndefaults:\n  approvers:\n    - 6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab\n    - "bob"\n    - guest_contoso.com#EXT#@fabrikam.onmicrosoft.com\n',
    );
    expect(out).toEqual([
      'policy.yaml:4: defaults.approvers[0] "6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab" is ambiguous: write teams:6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab for a user or group:6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab for a group',
      'policy.yaml:5: defaults.approvers[1] "bob" is not an approver: use an email/UPN, slack:U…, teams:<object id> or group:<id>',
      'policy.yaml:6: defaults.approvers[2] "guest_contoso.com#EXT#@fabrikam.onmicrosoft.com" is not an email address or UPN',
    ]);
  });

  it('channel rules', () => {
    const out = problems(
      `${MINIMAL}channels:\n  - slack: "#general"\n    registries: ["*"]\n  - teams: "19:x@thread.tacv2"\n  - slack: C0ABC\n    teams: "19:y"\n    registries: "*"\n`,
    );
    expect(out).toEqual([
      'policy.yaml:5: channels[0].slack must be a Slack channel id (C…, G… or D…), not "#general"; a #name is not stable',
      'policy.yaml:7: channels[1] needs registries: the registry globs or resource-id prefixes this channel may request for ("*" for all)',
      'policy.yaml:8: channels[2] must name exactly one of teams, slack or direct (found teams, slack)',
    ]);
  });

  it('version must be 1', () => {
    expect(problems('version: 2\ndefaults:\n  approvers: [a@contoso.com]\n')).toEqual([
      'policy.yaml:1: version must be 1 (this bot understands policy version 1 only)',
    ]);
  });

  it('a document that is not a map', () => {
    expect(problems('- a\n- b\n')).toEqual([
      'policy.yaml:1: (document) must be a YAML map with version, defaults, registries and channels (see policy.example.yaml)',
    ]);
  });
});

describe('parsed values', () => {
  it('normalises approvers and de-duplicates them', () => {
    const p = parsePolicy(
      'version: 1\ndefaults:\n  approvers: [Alice@Contoso.com, "upn:alice@contoso.com", U0ABCDEF, "slack:U0ABCDEF", "teams:6F1C2D3E-4A5B-4C6D-8E7F-0123456789AB", "group:S0GRP"]\n',
      'p.yaml',
    );
    expect(p.defaults.approvers).toEqual([
      { kind: 'email', value: 'alice@contoso.com' },
      { kind: 'slack', value: 'U0ABCDEF' },
      { kind: 'teams', value: '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab' },
      { kind: 'group', value: 's0grp' },
    ]);
  });

  it('an approver may carry a display name for cards; it is never used to match anyone', () => {
    const p = parsePolicy(
      'version: 1\ndefaults:\n  approvers:\n    - id: teams:6F1C2D3E-4A5B-4C6D-8E7F-0123456789AB\n      name: "  Megan Bowen "\n    - alice@contoso.com\n',
      'p.yaml',
    );
    expect(p.defaults.approvers).toEqual([
      { kind: 'teams', value: '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab', name: 'Megan Bowen' },
      { kind: 'email', value: 'alice@contoso.com' },
    ]);
    expect(
      problems(
        'version: 1\ndefaults:\n  approvers:\n    - id: U0ABCDEF\n      name: "Eve\u202Egnp.exe"\n    - id: bob\n    - name: Nobody\n    - id: U0ABCDEG\n      nick: x\n',
      ),
    ).toEqual([
      'policy.yaml:5: defaults.approvers[0].name must be a display name of 1 to 80 printable characters',
      'policy.yaml:6: defaults.approvers[1].id "bob" is not an approver: use an email/UPN, slack:U…, teams:<object id> or group:<id>',
      'policy.yaml:7: defaults.approvers[2] must be an email/UPN, slack:U…, teams:<object id> or group:<id>, or { id: …, name: "Display Name" }',
      'policy.yaml:9: defaults.approvers[3].nick is not a known key (known keys: id, name)',
    ]);
  });

  it('reminderInterval off, Teams ids without ;messageid', () => {
    const p = parsePolicy(
      `${MINIMAL}  reminderInterval: off\nchannels:\n  - teams: "19:abc@thread.tacv2;messageid=1700000000000"\n    registries: [dev*]\n`,
      'p.yaml',
    );
    expect(p.defaults.reminderIntervalMs).toBeNull();
    expect(p.channels![0]!.selector).toEqual({ kind: 'teams', id: '19:abc@thread.tacv2' });
  });
});
