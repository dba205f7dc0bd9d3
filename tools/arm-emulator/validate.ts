/**
 * Validation of a registry PATCH body (RegistryUpdateParameters, api-version 2025-11-01) the way the RP applies it.
 * Documented rules: IP rules are IPv4 addresses or IPv4 CIDR ranges, at most 200, and IP rules, `defaultAction:
 * Deny` and disabling public access need Premium. `DisablingPublicNetworkAccessNotSupported` is ARM's real code;
 * the other codes are the emulator's choice (the real ones are not documented).
 */
import ipaddr from 'ipaddr.js';
import { armError, type Reply } from './arm-errors.js';
import type { ArmResource, Json } from './state.js';

export const MAX_IP_RULES = 200;

const TOP_LEVEL = ['identity', 'tags', 'sku', 'properties'];
const PROPERTIES = [
  'adminUserEnabled',
  'networkRuleSet',
  'policies',
  'encryption',
  'dataEndpointEnabled',
  'publicNetworkAccess',
  'networkRuleBypassOptions',
  'networkRuleBypassAllowedForTasks',
  'anonymousPullEnabled',
  'roleAssignmentMode',
];

function notDeserializable(member: string, type: string): Reply {
  return armError(
    400,
    'InvalidRequestContent',
    `The request content was invalid and could not be deserialized: 'Could not find member '${member}' on object of type '${type}'.'`,
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isIpv4OrCidr(value: string): boolean {
  const [addr, bits, extra] = value.split('/');
  if (extra !== undefined || !addr || !ipaddr.IPv4.isValidFourPartDecimal(addr)) return false;
  if (bits === undefined) return true;
  return /^(?:[0-9]|[12][0-9]|3[0-2])$/.test(bits);
}

/** null when the body is acceptable for this registry, else the error ARM would answer. */
export function validateRegistryPatch(body: unknown, registry: ArmResource): Reply | null {
  if (!isObject(body))
    return armError(
      400,
      'InvalidRequestContent',
      'The request content was invalid and could not be deserialized: the body must be a JSON object.',
    );
  for (const k of Object.keys(body))
    if (!TOP_LEVEL.includes(k)) return notDeserializable(k, 'RegistryUpdateParameters');
  const props = body.properties;
  if (props === undefined) return null;
  if (!isObject(props))
    return armError(400, 'InvalidRequestContent', "The request content was invalid: 'properties' must be an object.");
  for (const k of Object.keys(props))
    if (!PROPERTIES.includes(k)) return notDeserializable(k, 'RegistryPropertiesUpdateParameters');

  const sku = String(
    (isObject(body.sku) ? body.sku.name : undefined) ??
      (registry.sku as { name?: string } | undefined)?.name ??
      'Basic',
  );
  const premium = sku.toLowerCase() === 'premium';

  if (props.publicNetworkAccess !== undefined) {
    const v = String(props.publicNetworkAccess);
    if (!['enabled', 'disabled'].includes(v.toLowerCase())) {
      return armError(
        400,
        'InvalidRequestContent',
        `The value '${v}' is not valid for publicNetworkAccess: use Enabled or Disabled.`,
      );
    }
    if (v.toLowerCase() === 'disabled' && !premium) {
      return armError(
        400,
        'DisablingPublicNetworkAccessNotSupported',
        `Disabling public network access is not supported for the SKU ${sku}. For more information, please visit https://aka.ms/acr/private-link.`,
      );
    }
  }

  const set = props.networkRuleSet;
  if (set === undefined || set === null) return null;
  if (!isObject(set))
    return armError(
      400,
      'InvalidRequestContent',
      "The request content was invalid: 'networkRuleSet' must be an object.",
    );
  for (const k of Object.keys(set))
    if (!['defaultAction', 'ipRules'].includes(k)) return notDeserializable(k, 'NetworkRuleSet');
  if (set.defaultAction === undefined) {
    return armError(
      400,
      'InvalidRequestContent',
      "The request content was invalid and could not be deserialized: 'Required property 'defaultAction' not found in JSON. Path 'properties.networkRuleSet'.'",
    );
  }
  if (!['allow', 'deny'].includes(String(set.defaultAction).toLowerCase())) {
    return armError(
      400,
      'InvalidRequestContent',
      `The value '${String(set.defaultAction)}' is not valid for networkRuleSet.defaultAction: use Allow or Deny.`,
    );
  }
  const rules = set.ipRules ?? [];
  if (!Array.isArray(rules))
    return armError(
      400,
      'InvalidRequestContent',
      "The request content was invalid: 'networkRuleSet.ipRules' must be an array.",
    );
  for (const [i, r] of rules.entries()) {
    if (!isObject(r)) return armError(400, 'InvalidRequestContent', `networkRuleSet.ipRules[${i}] must be an object.`);
    for (const k of Object.keys(r)) if (!['action', 'value'].includes(k)) return notDeserializable(k, 'IPRule');
    if (r.action !== undefined && String(r.action).toLowerCase() !== 'allow') {
      return armError(
        400,
        'InvalidRequestContent',
        `The value '${String(r.action)}' is not valid for ipRules[${i}].action: only Allow is supported.`,
      );
    }
    if (typeof r.value !== 'string' || !isIpv4OrCidr(r.value)) {
      return armError(
        400,
        'InvalidIpRule',
        `The IP rule value '${String(r.value)}' is invalid. Specify an IPv4 address or an IPv4 range in CIDR format; IPv6 is not supported.`,
      );
    }
  }
  const restrictive = String(set.defaultAction).toLowerCase() === 'deny' || rules.length > 0;
  if (restrictive && !premium) {
    return armError(
      400,
      'NetworkRuleSetNotSupported',
      `Network rules (IP rules and default action Deny) are not supported for the SKU ${sku}. They require the Premium SKU. For more information, please visit https://aka.ms/acr/firewall.`,
    );
  }
  if (rules.length > MAX_IP_RULES) {
    return armError(
      400,
      'QuotaExceeded',
      `The requested feature IP rule exceeds allowed quota ${MAX_IP_RULES} for the SKU ${sku}.`,
    );
  }
  return null;
}

/** Applies a validated PATCH body: `networkRuleSet` is replaced whole, other properties one by one. */
export function applyRegistryPatch(registry: ArmResource, body: Record<string, unknown>): void {
  if (isObject(body.tags)) registry.tags = body.tags as Json;
  if (isObject(body.sku) && typeof body.sku.name === 'string')
    registry.sku = { name: body.sku.name, tier: body.sku.name };
  if (isObject(body.identity)) registry.identity = body.identity as Json;
  if (!isObject(body.properties)) return;
  registry.properties ??= {};
  const props = registry.properties;
  for (const [k, v] of Object.entries(body.properties)) {
    if (v === undefined) continue;
    if (k === 'networkRuleSet' && isObject(v)) {
      const rules = Array.isArray(v.ipRules) ? (v.ipRules as { value: string }[]) : [];
      const action = String(v.defaultAction).toLowerCase() === 'deny' ? 'Deny' : 'Allow';
      props.networkRuleSet = {
        defaultAction: action,
        ipRules: rules.map((r) => ({ action: 'Allow', value: r.value })),
      };
    } else props[k] = v as Json;
  }
}
