/**
 * schema/policy.schema.json lets editors complete and check a policy file (policy.example.yaml points to it with a
 * yaml-language-server modeline). The bot's own validator stays the authority; these tests keep the two from
 * drifting: every policy file in the repository passes both, the schema knows exactly the keys the validator knows
 * at each level (asked of the validator itself, through its "known keys" message), and both refuse the same typos.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { validatePolicy } from '../../src/core/policy/validate.js';

const root = path.resolve(import.meta.dirname, '../..');
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');
const schema = JSON.parse(read('schema/policy.schema.json')) as {
  properties: Record<string, unknown>;
  definitions: Record<string, { properties?: Record<string, unknown> }>;
};
// strictRequired off: the schema says "not direct" and "exactly one of" with required lists over keys defined elsewhere.
const validate = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false }).compile(schema);

function issues(doc: unknown): string[] {
  const r = validatePolicy(doc);
  return r.ok ? [] : r.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

/** Every policy the repository ships, as parsed documents. */
const SHIPPED: Array<[string, unknown]> = [
  ['policy.example.yaml', parse(read('policy.example.yaml'))],
  ['tools/demo-policy.yaml', parse(read('tools/demo-policy.yaml'))],
  ['deployment/azd/policy.yaml', parse(read('deployment/azd/policy.yaml'))],
  [
    'deployment/aks/configmap.yaml',
    parse(
      parseAllDocuments(read('deployment/aks/configmap.yaml'))
        .map((d) => d.toJS() as { data: Record<string, string> })
        .find((d) => d.data['policy.yaml'])?.data['policy.yaml'] ?? '',
    ),
  ],
];

/** The keys the validator accepts in the map at `at` inside `doc`, from its message for an unknown key. */
function validatorKeys(doc: Record<string, unknown>, at: Array<string | number>): string[] {
  const probe = structuredClone(doc);
  let target: Record<string, unknown> = probe;
  for (const k of at) target = (target as Record<string | number, Record<string, unknown>>)[k]!;
  target.qqqqqqqqqqqq = true;
  const line = issues(probe).find((i) => i.includes('qqqqqqqqqqqq'))!;
  return /\(known keys: ([^)]*)\)/.exec(line)![1]!.split(', ').sort();
}

const keys = (o: { properties?: Record<string, unknown> } | undefined) => Object.keys(o?.properties ?? {}).sort();

describe('policy JSON Schema', () => {
  it('policy.example.yaml names the schema for editors', () => {
    expect(read('policy.example.yaml').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=./schema/policy.schema.json',
    );
  });

  it.each(SHIPPED)('%s passes the schema and the validator', (_file, doc) => {
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    expect(issues(doc)).toEqual([]);
  });

  it('knows exactly the keys the validator knows, at every level', () => {
    const doc = {
      version: 1,
      groups: { oncall: ['bob@contoso.com'] },
      defaults: {
        approvers: [{ id: 'alice@contoso.com', name: 'Alice' }],
        autoApprove: [
          {
            name: 'aks',
            groups: ['oncall'],
            owner: { aksClusters: ['aks-*'] },
            window: { days: ['mon'], from: '08:00', to: '18:00', timeZone: 'UTC' },
          },
        ],
        breakGlass: { enabled: false },
        duration: { default: '1h' },
        notify: { channels: [{ slack: 'C0123ABCD' }] },
      },
      registries: [{ match: 'prod*' }],
      channels: [{ slack: 'C0123ABCD', registries: ['*'] }],
      ci: {
        duration: { max: '1h' },
        identities: [{ name: 'ci', appId: '3f0c2b1a-8d7e-4c6b-9a5f-1e2d3c4b5a69', registries: ['*'], duration: {} }],
      },
    };
    expect(issues(doc)).toEqual([]);
    const d = schema.definitions;
    expect(validatorKeys(doc, [])).toEqual(keys(schema as never));
    expect(validatorKeys(doc, ['defaults'])).toEqual(keys(d.settings));
    expect(validatorKeys(doc, ['registries', 0])).toEqual(keys(d.registryRule));
    expect(validatorKeys(doc, ['defaults', 'approvers', 0])).toEqual(
      keys((d.approver as { oneOf: Array<{ properties?: Record<string, unknown> }> }).oneOf[1]),
    );
    expect(validatorKeys(doc, ['defaults', 'breakGlass'])).toEqual(keys(d.breakGlass));
    expect(validatorKeys(doc, ['defaults', 'duration'])).toEqual(keys(d.durationLimits));
    expect(validatorKeys(doc, ['defaults', 'notify'])).toEqual(keys(d.notify));
    expect(validatorKeys(doc, ['defaults', 'autoApprove', 0])).toEqual(keys(d.autoApproveRule));
    expect(validatorKeys(doc, ['defaults', 'autoApprove', 0, 'owner'])).toEqual(keys(d.autoApproveOwner));
    expect(validatorKeys(doc, ['defaults', 'autoApprove', 0, 'window'])).toEqual(keys(d.autoApproveWindow));
    expect(validatorKeys(doc, ['channels', 0])).toEqual(keys(d.channelRule));
    expect(validatorKeys(doc, ['defaults', 'notify', 'channels', 0])).toEqual(keys(d.channelSelector));
    expect(validatorKeys(doc, ['ci'])).toEqual(keys(d.ci));
    expect(validatorKeys(doc, ['ci', 'duration'])).toEqual(keys(d.ciDurationLimits));
    expect(validatorKeys(doc, ['ci', 'identities', 0])).toEqual(keys(d.ciIdentity));
    expect(validatorKeys(doc, ['ci', 'identities', 0, 'duration'])).toEqual(keys(d.ciDurationLimits));
  });

  it.each([
    ['a misspelt key', { version: 1, defaults: { minApproval: 2 } }],
    ['an unknown top-level key', { version: 1, approvers: ['alice@contoso.com'] }],
    ['a count that is not a number', { version: 1, defaults: { minApprovals: 'two' } }],
    ['a prefix wider than /1', { version: 1, defaults: { broadestPrefix: 0 } }],
    ['a duration without a unit', { version: 1, defaults: { duration: { max: '4' } } }],
    ['a channel by #name', { version: 1, channels: [{ slack: '#platform', registries: ['*'] }] }],
    [
      'a channel rule naming two platforms',
      { version: 1, channels: [{ slack: 'C0123ABCD', direct: true, registries: ['*'] }] },
    ],
    ['a registry rule without match', { version: 1, registries: [{ minApprovals: 2 }] }],
    ['another version', { version: 2 }],
    [
      'an auto-approval rule that would approve anybody',
      { version: 1, defaults: { approvers: ['a@contoso.com'], autoApprove: [{ name: 'all', maxDuration: '1h' }] } },
    ],
    [
      'an auto-approval window on no day',
      {
        version: 1,
        defaults: {
          approvers: ['a@contoso.com'],
          autoApprove: [
            {
              name: 'w',
              requesters: ['b@contoso.com'],
              window: { days: [], from: '08:00', to: '18:00', timeZone: 'UTC' },
            },
          ],
        },
      },
    ],
    [
      'an auto-approval window on an unknown weekday',
      {
        version: 1,
        defaults: {
          approvers: ['a@contoso.com'],
          autoApprove: [
            {
              name: 'w',
              requesters: ['b@contoso.com'],
              window: { days: ['monday'], from: '08:00', to: '18:00', timeZone: 'UTC' },
            },
          ],
        },
      },
    ],
    ['a CI entry for nobody', { version: 1, ci: { identities: [{ name: 'x', registries: ['*'] }] } }],
    [
      'a CI entry with subject and pattern',
      {
        version: 1,
        ci: {
          identities: [
            {
              name: 'x',
              objectId: '3f0c2b1a-8d7e-4c6b-9a5f-1e2d3c4b5a69',
              subject: 'a:b',
              subjectPattern: 'a:b*',
              registries: ['*'],
            },
          ],
        },
      },
    ],
    [
      'a CI approval that is neither',
      {
        version: 1,
        ci: {
          identities: [
            { name: 'x', objectId: '3f0c2b1a-8d7e-4c6b-9a5f-1e2d3c4b5a69', registries: ['*'], approval: 'yes' },
          ],
        },
      },
    ],
  ])('both refuse %s', (_what, doc) => {
    expect(validate(doc)).toBe(false);
    expect(issues(doc)).not.toEqual([]);
  });
});
