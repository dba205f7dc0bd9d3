/**
 * The registry gateway as the use cases see it when telemetry is on: every registry it returns updates the
 * `registry_ip_rules` gauge (rules in use, from the latest read), so the gauge follows what the bot last saw.
 */
import type { RegistrySnapshot } from '../../core/registry.js';
import type { RegistryGateway, RegistryLookup } from '../ports.js';
import type { Telemetry } from './port.js';

export function observeGateway(gateway: RegistryGateway, t: Telemetry): RegistryGateway {
  const seen = (r: RegistrySnapshot): RegistrySnapshot => {
    t.registryRules(r.name, r.ipRules.length);
    return r;
  };
  const looked = (l: RegistryLookup): RegistryLookup => {
    if (l.status === 'found') seen(l.registry);
    return l;
  };
  return {
    inspect: async (target) => {
      const out = await gateway.inspect(target);
      if (out.registry) looked(out.registry);
      return out;
    },
    findRegistry: async (ref) => looked(await gateway.findRegistry(ref)),
    readRegistry: async (id) => seen(await gateway.readRegistry(id)),
    submitNetworkRules: (id, change) => gateway.submitNetworkRules(id, change),
    waitForUpdate: async (update) => seen(await gateway.waitForUpdate(update)),
    registryWrites: (id, window) => gateway.registryWrites(id, window),
  };
}
