/**
 * Cards from the real diagnosis engine (src/core/diagnose): one input per cause, run through diagnose(), rendered,
 * and validated with the adaptivecards package. Complements the golden files (built from fixtures) by proving the
 * renderer copes with what the engine actually produces.
 */
import { describe, expect, it } from 'vitest';
import { renderReply } from '../../src/adapters/teams/cards/render.js';
import { diagnose, type InspectionResult } from '../../src/core/diagnose/index.js';
import { CAUSES, type Cause, type IpOwner } from '../../src/core/diagnosis.js';
import type { Finding } from '../../src/core/finding.js';
import type { RegistrySnapshot } from '../../src/core/registry.js';
import { finding as baseFinding, registry } from '../golden/teams/fixtures.js';
import { validateCard } from '../golden/teams/validate-card.js';

const IP = '20.50.60.70';
const found = (r: RegistrySnapshot, ipOwner: IpOwner | null = null): InspectionResult => ({ registry: { status: 'found', registry: r }, ipOwner });
const f = (over: Partial<Finding> = {}): Finding => baseFinding({ ip: IP, excerpt: `denied: client with IP '${IP}' is not allowed access`, ...over });

const INPUTS: Record<Cause, [Finding, InspectionResult | null]> = {
  ip_not_allowed: [f(), found(registry())],
  public_access_disabled: [f(), found(registry({ publicNetworkAccess: 'Disabled' }))],
  sku_not_premium: [f(), found(registry({ sku: 'Standard', ipRules: [] }))],
  rule_quota_full: [f(), found(registry({ ipRules: Array.from({ length: 200 }, (_, i) => `198.18.${Math.floor(i / 50)}.${i % 50}`) }))],
  ip_already_allowed: [f(), found(registry({ ipRules: ['20.50.60.0/24'] }))],
  firewall_allows_all: [f(), found(registry({ defaultAction: 'Allow', ipRules: [] }))],
  azure_service_ip: [
    f({ tool: 'acr-tasks' }),
    found(registry(), { kind: 'azure_service', name: 'AzureContainerRegistry.WestEurope', resourceId: null, detail: 'service tag AzureContainerRegistry.WestEurope', service: 'AzureContainerRegistry' }),
  ],
  private_ip: [f({ ip: '10.240.0.17', excerpt: "denied: client with IP '10.240.0.17' is not allowed access" }), found(registry())],
  ipv6_client: [f({ ip: '2001:db8::7', excerpt: "denied: client with IP '2001:db8::7' is not allowed access" }), found(registry())],
  registry_not_found: [f({ loginServer: 'contosoqa.azurecr.io', registryName: 'contosoqa' }), { registry: { status: 'not_found', searchedSubscriptions: 3 }, ipOwner: null }],
  no_access_to_registry: [f(), { registry: { status: 'no_access', registryId: registry().id, message: 'AuthorizationFailed' }, ipOwner: null }],
  not_a_firewall_error: [f({ kind: 'unauthorized', ip: null, excerpt: 'unauthorized: authentication required' }), null],
};

describe('Teams cards from real diagnoses', () => {
  for (const cause of CAUSES) {
    it(`${cause}: the engine's diagnosis renders as a valid card with its cause and actions`, () => {
      const [finding, inspection] = INPUTS[cause];
      const d = diagnose(finding, inspection);
      expect(d.cause).toBe(cause);
      const card = renderReply({ type: 'diagnoses', diagnoses: [d] });
      expect(validateCard(card)).toEqual([]);
      const json = JSON.stringify(card);
      if (finding.ip) expect(json).toContain(finding.ip);
      expect(json.includes('"verb":"request_access"')).toBe(d.registry !== null && d.fixes.some((x) => x.requestable));
      expect(json.includes('"verb":"show_rules"')).toBe(d.registry !== null);
      expect(json).toContain('"title":"Learn more"');
    });
  }
});
