/**
 * Out-of-band edits: "after the Nth GET of registry X, change its rules", i.e. someone editing the firewall in the
 * portal between the bot's read and its write. The GET that triggers the edit still returns the old state.
 */
import type { ArmResource, EmulatorState, Json } from './state.js';
import { idKey } from './ids.js';

export interface EditSpec {
  /** Registry name or resource id. */
  registry: string;
  /** Apply right after this many GETs of the registry (counted from when the edit is added); 0 = now. */
  afterGets?: number;
  addIpRules?: string[];
  removeIpRules?: string[];
  defaultAction?: 'Allow' | 'Deny';
  publicNetworkAccess?: 'Enabled' | 'Disabled';
}

interface PendingEdit {
  id: string;
  spec: EditSpec;
  registryKey: string;
  gets: number;
}

let nextId = 0;

export function applyEdit(registry: ArmResource, spec: EditSpec): void {
  registry.properties ??= {};
  const props = registry.properties as Record<string, Json>;
  const set = (props.networkRuleSet ?? { defaultAction: 'Allow', ipRules: [] }) as {
    defaultAction: string;
    ipRules: { action: string; value: string }[];
  };
  let rules = [...(set.ipRules ?? [])];
  const remove = new Set((spec.removeIpRules ?? []).map((v) => v.toLowerCase()));
  rules = rules.filter((r) => !remove.has(r.value.toLowerCase()));
  for (const v of spec.addIpRules ?? [])
    if (!rules.some((r) => r.value === v)) rules.push({ action: 'Allow', value: v });
  props.networkRuleSet = {
    defaultAction: spec.defaultAction ?? set.defaultAction ?? 'Allow',
    ipRules: rules,
  } as unknown as Json;
  if (spec.publicNetworkAccess) props.publicNetworkAccess = spec.publicNetworkAccess;
}

export class Edits {
  private pending: PendingEdit[] = [];
  readonly applied: { id: string; registryId: string; time: string }[] = [];

  constructor(private readonly state: EmulatorState) {}

  add(spec: EditSpec): string {
    const reg = this.state.registryByNameOrId(spec.registry);
    if (!reg) throw new Error(`no registry "${spec.registry}" in the emulator state`);
    const id = `edit-${++nextId}`;
    if ((spec.afterGets ?? 0) <= 0) {
      applyEdit(reg, spec);
      this.applied.push({ id, registryId: reg.id, time: new Date().toISOString() });
    } else this.pending.push({ id, spec, registryKey: idKey(reg.id), gets: 0 });
    return id;
  }

  clear(): void {
    this.pending = [];
  }

  list(): { id: string; spec: EditSpec; gets: number }[] {
    return this.pending.map(({ id, spec, gets }) => ({ id, spec, gets }));
  }

  /** Called after a GET of a registry has been answered. */
  afterGet(registry: ArmResource): void {
    const key = idKey(registry.id);
    for (const e of [...this.pending]) {
      if (e.registryKey !== key) continue;
      e.gets += 1;
      if (e.gets >= (e.spec.afterGets ?? 0)) {
        applyEdit(registry, e.spec);
        this.pending = this.pending.filter((p) => p !== e);
        this.applied.push({ id: e.id, registryId: registry.id, time: new Date().toISOString() });
      }
    }
  }
}
