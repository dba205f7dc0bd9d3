import { describe, expect, it } from 'vitest';
import { applyRegistryPatch, isIpv4OrCidr, validateRegistryPatch } from '../../tools/arm-emulator/validate.js';
import type { ArmResource } from '../../tools/arm-emulator/state.js';

const premium = {
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/r',
  name: 'r',
  type: 'Microsoft.ContainerRegistry/registries',
  sku: { name: 'Premium' },
  properties: { networkRuleSet: { defaultAction: 'Allow', ipRules: [] } },
} as unknown as ArmResource;
const basic = { ...premium, sku: { name: 'Basic' } } as unknown as ArmResource;
const rules = (values: string[], defaultAction = 'Deny') => ({
  properties: { networkRuleSet: { defaultAction, ipRules: values.map((value) => ({ action: 'Allow', value })) } },
});
const code = (r: ReturnType<typeof validateRegistryPatch>) =>
  (r?.body as { error: { code: string } } | undefined)?.error.code;

describe('emulator PATCH validation', () => {
  it('accepts IPv4 addresses and CIDR ranges only', () => {
    expect(['1.2.3.4', '10.0.0.0/8', '0.0.0.0/0'].every(isIpv4OrCidr)).toBe(true);
    expect(['1.2.3', '01.2.3.4', '1.2.3.4/33', '2001:db8::1', '1.2.3.4/24/1', ''].some(isIpv4OrCidr)).toBe(false);
    expect(validateRegistryPatch(rules(['1.2.3.4', '5.6.7.0/24']), premium)).toBeNull();
    expect(code(validateRegistryPatch(rules(['2001:db8::1']), premium))).toBe('InvalidIpRule');
  });

  it('enforces the 200-rule quota and Premium for IP rules, Deny and disabled public access', () => {
    const many = Array.from({ length: 201 }, (_, i) => `10.0.${Math.floor(i / 250)}.${i % 250}`);
    expect(code(validateRegistryPatch(rules(many), premium))).toBe('QuotaExceeded');
    expect(validateRegistryPatch(rules(many.slice(0, 200)), premium)).toBeNull();
    expect(code(validateRegistryPatch(rules([], 'Deny'), basic))).toBe('NetworkRuleSetNotSupported');
    expect(validateRegistryPatch(rules([], 'Allow'), basic)).toBeNull();
    expect(code(validateRegistryPatch({ properties: { publicNetworkAccess: 'Disabled' } }, basic))).toBe(
      'DisablingPublicNetworkAccessNotSupported',
    );
  });

  it('refuses members the API version does not have, and a rule set without defaultAction', () => {
    expect(
      code(
        validateRegistryPatch(
          { properties: { networkRuleSet: { defaultAction: 'Deny', virtualNetworkRules: [] } } },
          premium,
        ),
      ),
    ).toBe('InvalidRequestContent');
    expect(code(validateRegistryPatch({ properties: { networkRuleSet: { ipRules: [] } } }, premium))).toBe(
      'InvalidRequestContent',
    );
    expect(code(validateRegistryPatch({ location: 'x' }, premium))).toBe('InvalidRequestContent');
  });

  it('replaces the rule set whole and leaves other properties alone', () => {
    const reg = structuredClone({
      ...premium,
      properties: {
        ...premium.properties,
        adminUserEnabled: false,
        networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '9.9.9.9' }] },
      },
    }) as ArmResource;
    applyRegistryPatch(reg, rules(['1.2.3.4']));
    expect(reg.properties).toMatchObject({
      adminUserEnabled: false,
      networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '1.2.3.4' }] },
    });
  });
});
