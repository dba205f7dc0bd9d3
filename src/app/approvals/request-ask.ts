/**
 * What a Request access click or form submit asks for, read from untrusted card data: the registry, the rule and
 * the client address; and the small answers the request use case gives (private notices, refusals).
 */
import type { ChannelRef, NamedRegistry } from '../../core/policy/types.js';
import { normaliseRule, parseIp } from '../../core/ip.js';
import { isRegistryId } from '../../core/registry-ref.js';
import type { Reply } from '../../core/reply.js';
import type { ActionResult, ConversationRef } from '../chat.js';
import { notice } from './views.js';

export const FORM_ID = /^[0-9a-f-]{36}$/i;

/** The policy scope of a chat conversation. */
export function channelOf(c: ConversationRef): ChannelRef {
  return {
    platform: c.platform,
    conversationId: c.conversationId,
    channelId: c.channelId ?? null,
    direct: c.kind === 'personal',
  };
}

export function private_(reply: Reply): ActionResult {
  return { reply, delivery: 'private' };
}

export function refused(text: string, title = 'Access cannot be requested'): ActionResult {
  return private_(notice('warning', title, text));
}

export function isTrue(v: unknown): boolean {
  return v === true || v === 'true' || (Array.isArray(v) && v.length > 0);
}

export interface Asked {
  registry: NamedRegistry;
  rule: string;
  ip: string;
}

/** The button's data, untrusted: a registry id of the right shape and an IPv4 rule. */
export function readAsk(data: Record<string, unknown>): Asked | { refusal: string } {
  const { registryId, rule, ip } = data;
  if (!isRegistryId(registryId)) return { refusal: 'This button does not name a registry the bot can read.' };
  const raw = typeof rule === 'string' && rule.trim() !== '' ? rule : typeof ip === 'string' ? ip : '';
  const parsedIp = typeof ip === 'string' ? parseIp(ip) : null;
  if (parsedIp?.family === 6)
    return {
      refusal:
        'ACR IP rules accept IPv4 addresses and ranges only; an IPv6 client needs a private endpoint or an IPv4 egress address.',
    };
  if (raw === '' || raw.length > 64) return { refusal: 'This button does not carry an IP rule.' };
  const n = normaliseRule(raw);
  // checkRule says exactly what is wrong (IPv6, host bits, …); pass anything parseable-looking on to it.
  const canonical = n.ok ? n.rule.cidr : raw.trim();
  return {
    registry: { id: registryId, name: registryId.split('/').pop()! },
    rule: canonical,
    ip: parsedIp?.text ?? (n.ok ? n.rule.network : raw.trim()),
  };
}
