/**
 * Chat commands of the approval flow: `requests` (what is waiting, pending first; for an approver the ones they
 * can decide, for everyone their own) and `audit <registry>` (its recent audit events, for the registry's approvers
 * and for channels that may request access to it).
 */
import { SNAPSHOT_LIST_NOTE } from '../../core/approvals/index.js';
import { parseRegistryRef } from '../../core/registry-ref.js';
import { canApprove, canRequest, policyFor } from '../../core/policy/evaluate.js';
import { matchApprover, samePerson, verifyIdentity } from '../../core/policy/identity.js';
import { chatPlatformOf, type AccessRequest, type Party } from '../../core/requests/index.js';
import type { Reply } from '../../core/reply.js';
import type { IncomingMessage } from '../chat.js';
import type { PersonId } from '../people.js';
import type { Ctx } from './deps.js';
import { namedOn } from './names.js';
import { channelOf } from './request-ask.js';
import { notice, snapshotView, when } from './views.js';

const MAX_LISTED = 20;
const AUDIT_SHOWN = 25;
const AUDIT_WINDOW_MS = 30 * 24 * 3_600_000;

export async function listRequests(ctx: Ctx, message: IncomingMessage): Promise<Reply> {
  const actor = message.actor;
  const me = { platform: actor.platform, id: actor.id, email: actor.email };
  const pending = await ctx.store.listRequests({ status: 'pending', order: 'oldest', limit: 200 });
  const decidable = pending.filter((r) => canApprove(ctx.policy, actor, r).ok);
  const mine = (
    await ctx.store.listRequests({
      requesterId: actor.id,
      status: ['pending', 'approved', 'applying', 'failed', 'applied'],
      limit: 50,
    })
  ).filter((r) => samePerson(r.requester, me));
  const seen = new Set<string>();
  const shown: AccessRequest[] = [];
  for (const r of [
    ...decidable,
    ...mine.filter((m) => m.status === 'pending'),
    ...mine.filter((m) => m.status !== 'pending'),
  ]) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    shown.push(r);
  }
  if (shown.length === 0) {
    const approverSomewhere = verifyIdentity(actor).ok && pending.length > 0;
    return notice(
      'info',
      'No requests',
      approverSomewhere
        ? 'Nothing is waiting for you, and you have no open requests.'
        : 'You have no open access requests, and none is waiting for your decision.',
    );
  }
  const title =
    decidable.length > 0
      ? `${decidable.length} request${decidable.length === 1 ? '' : 's'} waiting for your decision${mine.length > 0 ? ', and yours' : ''}`
      : 'Your access requests';
  const listed = shown.slice(0, MAX_LISTED);
  await ctx.people.prime(
    listed.flatMap((r) => namedOn(ctx.policy, r)),
    null,
    0,
  );
  const views = listed.map((r) => snapshotView(ctx, r));
  const note = `${SNAPSHOT_LIST_NOTE} (as of ${when(ctx.clock.now().toISOString())}).`;
  return { type: 'requests', title, note, views };
}

export async function showAudit(ctx: Ctx, args: string[], message: IncomingMessage): Promise<Reply> {
  const word = args[0];
  const ref = word ? parseRegistryRef(word) : null;
  if (!ref || args.length > 1)
    return notice('info', 'Check the command', 'Use `audit <registry>`, with the registry name or its resource id.');
  // A login server names the registry by its first label (DNL hashes aside); the store matches names and ids.
  const key =
    ref.kind === 'host' ? ref.host.split('.')[0]!.replace(/-[a-z0-9]+$/, '') : ref.kind === 'id' ? ref.id : ref.name;
  const events = await ctx.store.listAudit({
    registry: key,
    since: new Date(ctx.clock.now().getTime() - AUDIT_WINDOW_MS),
    limit: 10_000,
  });
  const named = events.find((e) => e.registryId !== null);
  if (named && ctx.policy.configured) {
    const registry = { id: named.registryId!, name: named.registryName ?? key };
    const who = verifyIdentity(message.actor);
    const approver = who.ok && matchApprover(who.identity, policyFor(ctx.policy, registry).approvers) !== null;
    if (!approver && !canRequest(ctx.policy, message.actor, channelOf(message.conversation), registry).ok) {
      return notice(
        'warning',
        'Not authorized',
        `The audit log of ${registry.name} is shown to its approvers and in channels that may request access to it.`,
      );
    }
  }
  // Who acted, by name where the record has none and the people directory has one.
  const shown = events.slice(-AUDIT_SHOWN);
  const ids = shown.flatMap((e): PersonId[] => {
    const platform = e.actor && !e.actor.displayName ? chatPlatformOf(e.actor) : null;
    return platform ? [{ platform, id: e.actor!.id }] : [];
  });
  await ctx.people.prime(ids, null, 0);
  return {
    type: 'audit',
    view: {
      registry: named?.registryName ?? key,
      events: shown.map((e) => (e.actor && !e.actor.displayName ? { ...e, actor: withKnownName(e.actor, ctx) } : e)),
      truncated: events.length > AUDIT_SHOWN,
    },
  };
}

/** A recorded actor with the people directory's name for them (the record itself is never changed). */
function withKnownName(p: Party, ctx: Ctx): Party {
  const platform = chatPlatformOf(p);
  return { ...p, displayName: (platform && ctx.people.names(platform, p.id)) || null };
}
