/**
 * Rule-quota hygiene for the firewall view and for quota diagnoses: core's analysis of the rules just read, with
 * what only the app knows added in: the rules the bot keeps for grants, active or ended with their removal still to
 * come (never offered, never a proof: they leave with the grant), the rules of ended grants still on the registry
 * (there should be none; no proof either), and policy's broadestPrefix for merges.
 */
import { sameRule } from '../../core/ip.js';
import { policyFor } from '../../core/policy/evaluate.js';
import { checkTicket } from '../../core/policy/ticket.js';
import {
  analyseRules,
  HYGIENE_THRESHOLD,
  hygieneView,
  hygieneWorthShowing,
  mergeVerdicts,
  type HygieneView,
  type RuleHygiene,
  type StaleGrantRule,
} from '../../core/quota/index.js';
import type { RegistrySnapshot } from '../../core/registry.js';
import type { Reply } from '../../core/reply.js';
import type { Ctx } from './deps.js';

export interface RegistryHygiene {
  hygiene: RuleHygiene;
  view: HygieneView;
  /** Rules the bot keeps for grants (active, or ended with the removal to come) or should have removed. */
  managed: string[];
}

export class Hygiene {
  constructor(private readonly ctx: Pick<Ctx, 'store' | 'policy' | 'logger'>) {}

  /** The analysis of a registry as just read. */
  async of(registry: RegistrySnapshot): Promise<RegistryHygiene> {
    const { store, policy } = this.ctx;
    const ownedBy = (grants: Array<{ ruleAdded: string | null }>) =>
      grants.flatMap((g) => (g.ruleAdded === null ? [] : [g.ruleAdded]));
    // Rules of active grants, and of ended grants whose removal is still to come, leave with their grant.
    const active = ownedBy(await store.activeGrants(registry.id));
    const leaving = ownedBy(await store.grantsAwaitingRemoval(registry.id));
    const ended = await store.listRequests({ registry: registry.id, status: ['expired', 'revoked'], limit: 1000 });
    const stale: StaleGrantRule[] = ended.flatMap((r) => {
      const value = r.kind === 'grant' ? r.ruleAdded : null;
      if (value === null || r.registry.id.toLowerCase() !== registry.id.toLowerCase()) return [];
      if (!registry.ipRules.some((v) => sameRule(v, value))) return [];
      if ([...active, ...leaving].some((m) => sameRule(m, value))) return [];
      return [{ value, requestId: r.id, endedAt: r.decision?.at ?? r.endsAt }];
    });
    // A rule that should have come off is no proof that another rule is redundant either.
    const managed = [...active, ...leaving, ...stale.map((s) => s.value)];
    const hygiene = analyseRules(registry.ipRules, { managed });
    const ref = { id: registry.id, name: registry.name };
    const p = policy.configured ? policyFor(policy, ref) : null;
    const ticket = p ? checkTicket(p, null) : null;
    const view = hygieneView({
      registry: ref,
      hygiene,
      mergeVerdicts: p
        ? mergeVerdicts(hygiene, p)
        : hygiene.merges.map((m) => ({ into: m.into, refusal: 'no approval policy' })),
      stale,
      offerRefusal:
        p === null
          ? 'Approvals are off on this bot (no policy file), so the bot cannot offer to free slots.'
          : ticket && !ticket.ok
            ? `Policy asks for a ticket with every change to ${registry.name}; the bot cannot offer to free slots here yet.`
            : null,
    });
    if (stale.length > 0)
      this.ctx.logger.warn(
        { registryId: registry.id, stale: stale.map((s) => s.requestId) },
        'bot-managed rules outlived their grants',
      );
    return { hygiene, view, managed };
  }

  /** The firewall view always carries it; a diagnosis only for a full or nearly full registry. Best effort. */
  async enrich(reply: Reply): Promise<Reply> {
    try {
      if (reply.type === 'firewall') {
        const { view } = await this.of(reply.registry);
        return hygieneWorthShowing(view, reply.registry.ipRules.length) ? { ...reply, hygiene: view } : reply;
      }
      if (reply.type === 'diagnoses') {
        const diagnoses = [];
        for (const d of reply.diagnoses) {
          const r = d.registry;
          const full = r !== null && (d.cause === 'rule_quota_full' || r.ipRules.length >= HYGIENE_THRESHOLD);
          diagnoses.push(full ? { ...d, hygiene: (await this.of(r)).view } : d);
        }
        return { ...reply, diagnoses };
      }
    } catch (err) {
      this.ctx.logger.warn({ err }, 'could not look for rule slots to free; answering without');
    }
    return reply;
  }
}
