/**
 * Diagnosis never throws and always answers with one cause, a summary and documented fixes: for every real paste
 * in the fixtures against every registry state, and for arbitrary findings and registries (fast-check).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diagnose, type InspectionResult } from '../../src/core/diagnose/index.js';
import { CAUSES, type Diagnosis } from '../../src/core/diagnosis.js';
import { FINDING_KINDS, type Finding } from '../../src/core/finding.js';
import { parseFindings } from '../../src/core/parse/index.js';
import type { RegistrySnapshot } from '../../src/core/registry.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SUB = '11111111-1111-4111-8111-111111111111';

function registry(over: Partial<RegistrySnapshot>): RegistrySnapshot {
  return {
    id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/acrx`,
    name: 'acrx',
    subscriptionId: SUB,
    resourceGroup: 'rg',
    location: 'westeurope',
    loginServer: 'acrx.azurecr.io',
    sku: 'Premium',
    provisioningState: 'Succeeded',
    publicNetworkAccess: 'Enabled',
    defaultAction: 'Deny',
    ipRules: [],
    trustedServicesBypass: true,
    tasksBypass: false,
    dataEndpointEnabled: false,
    dataEndpointHostNames: [],
    privateEndpoints: [],
    ...over,
  };
}

const STATES: Array<InspectionResult | null> = [
  null,
  { registry: null, ipOwner: null },
  { registry: { status: 'not_found', searchedSubscriptions: 0 }, ipOwner: null },
  { registry: { status: 'no_access', registryId: registry({}).id, message: 'AuthorizationFailed' }, ipOwner: null },
  { registry: { status: 'found', registry: registry({}) }, ipOwner: null },
  { registry: { status: 'found', registry: registry({ publicNetworkAccess: 'Disabled' }) }, ipOwner: null },
  { registry: { status: 'found', registry: registry({ sku: 'Basic', defaultAction: 'Allow' }) }, ipOwner: null },
  { registry: { status: 'found', registry: registry({ defaultAction: 'Allow' }) }, ipOwner: null },
  {
    registry: {
      status: 'found',
      registry: registry({ ipRules: Array.from({ length: 200 }, (_, i) => `20.0.${i}.0/24`) }),
    },
    ipOwner: null,
  },
];

function wellFormed(d: Diagnosis): void {
  expect(CAUSES).toContain(d.cause);
  expect(d.summary.length).toBeGreaterThan(20);
  expect(d.summary.length).toBeLessThan(600);
  expect(d.summary).not.toMatch(/\n/);
  expect(d.fixes.length).toBeGreaterThan(0);
  expect(d.fixes.filter((f) => f.requestable).length).toBeLessThanOrEqual(1);
  for (const f of d.fixes) {
    expect(f.docsUrl).toMatch(/^https:\/\/learn\.microsoft\.com\//);
    if (f.requestable) expect(f.rule).toMatch(/^\d{1,3}(\.\d{1,3}){3}\/32$/);
  }
}

describe('diagnosis robustness', () => {
  it('every real paste in the fixtures, against every registry state', () => {
    const lines = fs
      .readFileSync(path.resolve(here, '../fixtures/errors/real-errors.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean);
    expect(lines.length).toBeGreaterThan(20);
    let findings = 0;
    for (const line of lines) {
      const { text } = JSON.parse(line) as { text: string };
      for (const f of parseFindings(text)) {
        findings += 1;
        for (const state of STATES) wellFormed(diagnose(f, state));
      }
    }
    expect(findings).toBeGreaterThan(20);
  });

  it('arbitrary findings, rules and owners: one well-formed diagnosis, never a throw', () => {
    const ip = fc.oneof(fc.constant(null), fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 40 }));
    const finding = fc.record<Finding>({
      kind: fc.constantFrom(...FINDING_KINDS),
      loginServer: fc.oneof(fc.constant(null), fc.domain(), fc.string({ maxLength: 60 })),
      registryName: fc.oneof(fc.constant(null), fc.string({ maxLength: 60 })),
      ip,
      repository: fc.oneof(fc.constant(null), fc.string({ maxLength: 60 })),
      reference: fc.oneof(fc.constant(null), fc.string({ maxLength: 60 })),
      tool: fc.oneof(
        fc.constant(null),
        fc.constantFrom('acr-tasks', 'app-service', 'container-apps', 'azure-ml', 'kubelet', 'docker'),
        fc.string({ maxLength: 20 }),
      ),
      excerpt: fc.string({ maxLength: 200 }),
    });
    const reg = fc.record({
      sku: fc.constantFrom('Basic', 'Standard', 'Premium', 'Classic', 'premium'),
      publicNetworkAccess: fc.constantFrom('Enabled' as const, 'Disabled' as const),
      defaultAction: fc.constantFrom('Allow' as const, 'Deny' as const),
      ipRules: fc.array(
        fc.oneof(
          fc.ipV4(),
          fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`),
          fc.string({ maxLength: 20 }),
        ),
        { maxLength: 210 },
      ),
      trustedServicesBypass: fc.boolean(),
      tasksBypass: fc.boolean(),
      provisioningState: fc.constantFrom('Succeeded', 'Updating'),
    });
    const owner = fc.oneof(
      fc.constant(null),
      fc.record({
        kind: fc.constantFrom('public_ip' as const, 'public_ip_prefix' as const, 'azure_service' as const),
        name: fc.string({ maxLength: 30 }),
        resourceId: fc.constant(null),
        detail: fc.oneof(fc.constant(null), fc.string({ maxLength: 300 }), fc.constant('line one\nline two (x)')),
        service: fc.oneof(fc.constant(null), fc.constantFrom('AzureContainerRegistry', 'AppService', 'AzureCloud')),
      }),
    );
    fc.assert(
      fc.property(finding, fc.option(reg, { nil: null }), owner, (f, r, o) => {
        const d = diagnose(f, { registry: r === null ? null : { status: 'found', registry: registry(r) }, ipOwner: o });
        wellFormed(d);
      }),
      { numRuns: 400 },
    );
  });
});
