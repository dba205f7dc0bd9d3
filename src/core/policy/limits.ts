/**
 * How long and how wide a grant may be within policy: a requested duration clamped to the registry's maximum (or
 * refused), and a rule refused when it is wider than policy's broadest prefix or not a public IPv4 range.
 */
import { classifyIp, normaliseRule } from '../ip.js';
import { formatDuration } from './duration.js';
import type { Refusal, RegistryPolicy } from './types.js';

export type DurationRequest = { ms: number } | 'permanent' | null;

export type DurationVerdict =
  | {
      ok: true;
      /** Null = permanent. */
      durationMs: number | null;
      /** `default`: none was asked for; `clamped`: shortened to the maximum; null: as asked. */
      adjusted: 'default' | 'clamped' | null;
      note: string | null;
    }
  | Refusal<'permanent_not_allowed' | 'invalid_duration'>;

/**
 * The duration a request gets: the default when none is asked for, the maximum when more is asked (said out loud,
 * never silently), and a refusal for permanent rules unless policy allows them. Break-glass has its own cap.
 */
export function clampDuration(
  p: RegistryPolicy,
  requested: DurationRequest,
  opts: { breakGlass?: boolean } = {},
): DurationVerdict {
  const max = opts.breakGlass ? Math.min(p.breakGlass.maxDurationMs, p.durations.maxMs) : p.durations.maxMs;
  if (requested === 'permanent') {
    if (p.allowPermanent && !opts.breakGlass) return { ok: true, durationMs: null, adjusted: null, note: null };
    return {
      ok: false,
      code: 'permanent_not_allowed',
      reason: opts.breakGlass
        ? `Break-glass access is always temporary (at most ${formatDuration(max)}).`
        : `Permanent rules are not allowed by policy (${p.source}); ask for at most ${formatDuration(max)}.`,
    };
  }
  if (requested === null) {
    const d = Math.min(p.durations.defaultMs, max);
    return { ok: true, durationMs: d, adjusted: 'default', note: `Duration not given: using ${formatDuration(d)}.` };
  }
  if (!Number.isFinite(requested.ms) || requested.ms <= 0) {
    return {
      ok: false,
      code: 'invalid_duration',
      reason: 'The duration must be longer than zero, e.g. 30m, 4h or 1d.',
    };
  }
  if (requested.ms > max) {
    return {
      ok: true,
      durationMs: max,
      adjusted: 'clamped',
      note: `Shortened from ${formatDuration(requested.ms)} to ${formatDuration(max)}, the longest ${opts.breakGlass ? 'break-glass access' : 'access'} policy allows.`,
    };
  }
  return { ok: true, durationMs: requested.ms, adjusted: null, note: null };
}

export type RuleRefusalCode =
  | 'invalid_rule'
  | 'ipv6_not_supported'
  | 'host_bits_set'
  | 'everything'
  | 'too_wide'
  | 'not_public';

export type RuleVerdict =
  | { ok: true /** Canonical `a.b.c.d/nn`. */; rule: string; prefixLength: number; addressCount: number }
  | (Refusal<RuleRefusalCode> & { suggestion?: string });

/**
 * Is this rule acceptable? IPv4 only (ACR IP rules are IPv4), never 0.0.0.0/0, no wider than policy's broadest
 * prefix, and a public address: private, CGNAT, loopback, link-local and reserved addresses never reach a
 * registry's public endpoint, so a rule for them is a mistake (the fix is a private endpoint or DNS).
 * Documentation ranges (TEST-NET) are allowed: ACR accepts them, and demos and tests use them.
 */
export function checkRule(p: Pick<RegistryPolicy, 'broadestPrefix' | 'source'>, prefix: string): RuleVerdict {
  const n = normaliseRule(prefix);
  if (!n.ok) {
    if (n.error === 'ipv6_not_supported')
      return {
        ok: false,
        code: 'ipv6_not_supported',
        reason:
          'ACR IP rules accept IPv4 addresses and ranges only; an IPv6 client needs a private endpoint or an IPv4 egress.',
      };
    if (n.error === 'host_bits_set')
      return {
        ok: false,
        code: 'host_bits_set',
        reason: n.message,
        ...(n.suggestion ? { suggestion: n.suggestion } : {}),
      };
    return {
      ok: false,
      code: 'invalid_rule',
      reason: `${n.message}; give an IPv4 address like 203.0.113.7 or a range like 203.0.113.0/28.`,
    };
  }
  const { cidr, prefixLength, network } = n.rule;
  if (prefixLength === 0)
    return {
      ok: false,
      code: 'everything',
      reason: '0.0.0.0/0 would open the registry to the whole internet; it is never allowed.',
    };
  if (prefixLength < p.broadestPrefix) {
    return {
      ok: false,
      code: 'too_wide',
      reason: `${cidr} is wider than policy allows (${p.source}: at most /${p.broadestPrefix}${p.broadestPrefix === 32 ? ', single addresses' : ''}).`,
    };
  }
  const cls = classifyIp(network);
  if (cls !== 'public' && cls !== 'documentation') {
    const what =
      cls === 'cgnat'
        ? 'a carrier-grade NAT (100.64.0.0/10)'
        : cls === 'private'
          ? 'a private (RFC 1918)'
          : `a ${String(cls).replace('_', '-')}`;
    return {
      ok: false,
      code: 'not_public',
      reason: `${cidr} is ${what} address: the registry never sees it on its public endpoint, so a rule cannot help. Use a private endpoint, or find the public egress IP the registry reports.`,
    };
  }
  return { ok: true, rule: cidr, prefixLength, addressCount: 2 ** (32 - prefixLength) };
}
