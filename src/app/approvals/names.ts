/**
 * Who a request's cards name, so their names can be in the people directory's memory before a card is drawn: the
 * approvers policy names by id, the requester, who approved and who decided (those whose record has no name).
 */
import { policyFor } from '../../core/policy/evaluate.js';
import { unreachableParts, type ChatPlatform, type UnreachablePart } from '../../core/policy/reach.js';
import type { NamedRegistry } from '../../core/policy/types.js';
import { chatPlatformOf, type AccessRequest, type Party } from '../../core/requests/index.js';
import type { ConversationRef } from '../chat.js';
import type { PersonId } from '../people.js';
import type { Ctx } from './deps.js';

/** How long the request form waits for approvers' names, beside the registry read it waits for anyway. */
const FORM_NAME_BUDGET_MS = 1500;

/** How long posting or updating a card (after the answer went out) waits for names the directory lacks. */
const NAME_BUDGET_MS = 3000;

/** The people a request's cards name by id. */
export function namedOn(policy: Ctx['policy'], r: AccessRequest): PersonId[] {
  const out: PersonId[] = [];
  const add = (p: Party | null | undefined): void => {
    const platform = p ? chatPlatformOf(p) : null;
    if (p && platform && !p.displayName) out.push({ platform, id: p.id });
  };
  if (policy.configured)
    for (const e of policyFor(policy, r.registry).approvers)
      if (e.kind === 'teams' || e.kind === 'slack') out.push({ platform: e.kind, id: e.value });
  add(r.requester);
  for (const a of r.approvals) add(a.by);
  add(r.decision?.by);
  return out;
}

/** Names for everyone `r`'s cards name: the directory's, and the platforms' (through `via`) for people never seen. */
export function nameEveryone(ctx: Pick<Ctx, 'policy' | 'people'>, r: AccessRequest, via: ConversationRef | null) {
  return ctx.people.prime(namedOn(ctx.policy, r), via, NAME_BUDGET_MS);
}

/**
 * The policy parts whose approvers no configured channel reaches, the approvers by name: the directory's names from
 * the store first (a platform lookup for people never seen goes on in the background and names them next time).
 */
export async function unreachableApprovers(
  ctx: Pick<Ctx, 'policy' | 'people'>,
  on: ReadonlySet<ChatPlatform>,
): Promise<UnreachablePart[]> {
  const parts = unreachableParts(ctx.policy, on);
  if (parts.length === 0 || !ctx.policy.configured) return parts;
  const ids = [ctx.policy.defaults, ...ctx.policy.registries.map((r) => r.policy)]
    .flatMap((p) => p.approvers)
    .flatMap((e): PersonId[] => (e.kind === 'teams' || e.kind === 'slack' ? [{ platform: e.kind, id: e.value }] : []));
  await ctx.people.prime(ids, null, 0);
  return unreachableParts(ctx.policy, on, ctx.people.names);
}

/** Names for a registry's approvers before its request form is drawn, looked up in the conversation of the click. */
export function nameApprovers(ctx: Pick<Ctx, 'policy' | 'people'>, registry: NamedRegistry, via: ConversationRef) {
  if (!ctx.policy.configured) return Promise.resolve();
  const ids = policyFor(ctx.policy, registry).approvers.flatMap((e): PersonId[] =>
    e.kind === 'teams' || e.kind === 'slack' ? [{ platform: e.kind, id: e.value }] : [],
  );
  return ctx.people.prime(ids, via, FORM_NAME_BUDGET_MS);
}
