/**
 * A registry's data endpoint, as far as the firewall goes: the anonymous `GET /v2/` a client sends first. ACR answers
 * an address its firewall refuses with 403 and the DENIED error that names the client's address (what
 * `acr-access request` reads its runner's address from), and an address it admits with 401 and the Bearer challenge
 * (docs/azure.md, "The registry's own answer to an anonymous /v2/"). Served at `/_data/{loginServer}/v2/` because the
 * emulator has one host name; the client's address is the socket's, or `settings.clientAddress` (the public address a
 * NAT would show, since every test connects from loopback).
 */
import { ruleCovers } from '../../../src/core/ip.js';
import type { Reply } from '../arm-errors.js';
import type { EmulatorCore } from '../core.js';

const PREFIX = '/_data/';

export function isRegistryDataPath(pathname: string): boolean {
  return pathname.startsWith(PREFIX);
}

interface NetworkView {
  loginServer?: string;
  publicNetworkAccess?: string;
  networkRuleSet?: { defaultAction?: string; ipRules?: Array<{ value: string }> } | null;
}

function denial(ip: string): Reply {
  return {
    status: 403,
    body: {
      errors: [
        {
          code: 'DENIED',
          message: `client with IP '${ip}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`,
        },
      ],
    },
  };
}

export function registryData(core: EmulatorCore, method: string, pathname: string, socketAddress: string): Reply {
  const rest = pathname.slice(PREFIX.length);
  const slash = rest.indexOf('/');
  const loginServer = decodeURIComponent(slash < 0 ? rest : rest.slice(0, slash)).toLowerCase();
  const path = slash < 0 ? '/' : rest.slice(slash);
  const registry = core.state
    .snapshot()
    .registries.find((r) => String((r.properties as NetworkView).loginServer ?? '').toLowerCase() === loginServer);
  if (!registry || (method !== 'GET' && method !== 'HEAD') || (path !== '/v2/' && path !== '/v2'))
    return {
      status: 404,
      body: { errors: [{ code: 'NOT_FOUND', message: `the emulator serves only GET /v2/ of a known registry` }] },
    };
  const p = registry.properties as NetworkView;
  const raw = core.settings.clientAddress ?? socketAddress;
  const ip = raw.startsWith('::ffff:') ? raw.slice(7) : raw;
  const rules = p.networkRuleSet?.ipRules?.map((r) => r.value) ?? [];
  const premiumFirewall = p.networkRuleSet != null && p.networkRuleSet.defaultAction === 'Deny';
  const refused =
    p.publicNetworkAccess === 'Disabled' || (premiumFirewall && !rules.some((rule) => ruleCovers(rule, ip)));
  if (refused) return denial(ip);
  return {
    status: 401,
    headers: {
      'WWW-Authenticate': `Bearer realm="https://${loginServer}/oauth2/token",service="${loginServer}"`,
      'Docker-Distribution-Api-Version': 'registry/2.0',
    },
    body: {
      errors: [
        {
          code: 'UNAUTHORIZED',
          message: 'authentication required, visit https://aka.ms/acr/authorization for more information.',
          detail: null,
        },
      ],
    },
  };
}
