/**
 * IP reasoning for ACR firewall rules, on ipaddr.js.
 *
 * ACR's `networkRuleSet.ipRules[].value` is "an IPv4 address or an IPv4 CIDR range" (ARM spec, IPRule), so every
 * rule here is IPv4; IPv6 is recognised only to say that a rule cannot help. Inputs are capped in length before
 * ipaddr.js sees them (its parsers are regex-based), and nothing here throws on bad input: parse functions
 * return null or a typed error.
 */
import ipaddr from 'ipaddr.js';
import { dottedQuad } from './dotted-quad.js';
import type { IpClass } from './diagnosis.js';

/** Longest textual IPv6 address with an embedded IPv4 tail plus a zone id is well under this. */
const MAX_IP_TEXT = 64;

export interface ParsedIp {
  family: 4 | 6;
  /** Canonical text: dotted quad for IPv4, RFC 5952 for IPv6. */
  text: string;
}

function clean(text: string): string | null {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_IP_TEXT) return null;
  let t = text.trim();
  // `[2001:db8::1]` is how Go prints IPv6 hosts; the brackets are not part of the address.
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  return t.length > 0 ? t : null;
}

/** The IPv4 address `text` holds (as parseIp reads it) as a number, else null. */
function v4Number(text: string): number | null {
  const t = clean(text);
  return t === null ? null : dottedQuad(t);
}

/**
 * A strict IPv4 (four decimal parts, no leading zeros, so `010.1.1.1` and `1.2.3` are refused) or an IPv6 address.
 * Zone ids (`fe80::1%eth0`) are refused: a registry never sees one.
 */
export function parseIp(text: string): ParsedIp | null {
  const t = clean(text);
  if (t === null) return null;
  if (dottedQuad(t) !== null) return { family: 4, text: t };
  try {
    if (t.includes(':') && !t.includes('%') && ipaddr.IPv6.isValid(t)) {
      return { family: 6, text: ipaddr.IPv6.parse(t).toRFC5952String() };
    }
  } catch {
    return null;
  }
  return null;
}

export function isIpv4(text: string): boolean {
  return parseIp(text)?.family === 4;
}

export function isIpv6(text: string): boolean {
  return parseIp(text)?.family === 6;
}

/** The IPv4 inside an IPv4-mapped IPv6 address (`::ffff:203.0.113.7`), else null. */
export function embeddedIpv4(text: string): string | null {
  const p = parseIp(text);
  if (p?.family !== 6) return null;
  const v6 = ipaddr.IPv6.parse(p.text);
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address().toString() : null;
}

// IPv4 classes that matter for an IP rule, most specific first. Sources: RFC 1918 (private), RFC 6598 (CGNAT),
// RFC 1122 (0/8, 127/8), RFC 3927 (link-local), RFC 5737 (TEST-NET-1/2/3), RFC 2544 (198.18/15 benchmarking),
// RFC 6890 (192.0.0/24), RFC 7526 (192.88.99/24), RFC 5771 (224/4 multicast), RFC 1112 (240/4), RFC 919 (broadcast).
const V4_CLASSES: ReadonlyArray<readonly [string, number, IpClass]> = [
  ['255.255.255.255', 32, 'reserved'],
  ['0.0.0.0', 8, 'reserved'],
  ['10.0.0.0', 8, 'private'],
  ['172.16.0.0', 12, 'private'],
  ['192.168.0.0', 16, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link_local'],
  ['192.0.2.0', 24, 'documentation'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'],
  ['198.18.0.0', 15, 'reserved'],
  ['224.0.0.0', 4, 'reserved'],
  ['240.0.0.0', 4, 'reserved'],
];
const V4_CLASS_NETS = V4_CLASSES.map(([a, bits, cls]) => ({ net: dottedQuad(a)!, mask: maskOf(bits), cls }));

/** Address class for rule decisions; null when `ip` is not an address. Every IPv6 address is `ipv6`. */
export function classifyIp(ip: string): IpClass | null {
  const a = v4Number(ip);
  if (a === null) return parseIp(ip) === null ? null : 'ipv6';
  for (const c of V4_CLASS_NETS) if ((a & c.mask) >>> 0 === c.net) return c.cls;
  return 'public';
}

/** An IPv4 rule in canonical `a.b.c.d/nn` form. */
export interface NormalisedRule {
  /** Network address (host bits cleared). */
  network: string;
  prefixLength: number;
  /** `a.b.c.d/nn`, always with the prefix: `1.2.3.4` and `1.2.3.4/32` are the same rule. */
  cidr: string;
}

export type RuleError = 'empty' | 'invalid' | 'ipv6_not_supported' | 'host_bits_set' | 'prefix_out_of_range';

export type RuleParse =
  | { ok: true; rule: NormalisedRule }
  | { ok: false; error: RuleError; message: string /** the rule the user probably meant */; suggestion?: string };

function intToV4(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

interface RawRule {
  addr: number;
  prefix: number;
}

/** Split `a.b.c.d[/n]` without regexes; `n` must be 0..32 written in decimal without a sign. */
function splitRule(value: string): { ip: string; prefix: number | null; prefixText: string | null } {
  const slash = value.indexOf('/');
  if (slash < 0) return { ip: value, prefix: null, prefixText: null };
  const prefixText = value.slice(slash + 1);
  let prefix: number | null = null;
  if (prefixText.length >= 1 && prefixText.length <= 3) {
    let n = 0;
    let digits = true;
    for (const ch of prefixText) {
      const d = ch.charCodeAt(0) - 48;
      if (d < 0 || d > 9) digits = false;
      n = n * 10 + d;
    }
    if (digits) prefix = n;
  }
  return { ip: value.slice(0, slash), prefix, prefixText };
}

/**
 * Normalise a proposed rule value: `1.2.3.4` ≡ `1.2.3.4/32`; refuse IPv6 (ACR IP rules are IPv4-only), prefixes
 * outside 0..32, and ranges whose host bits are set (`10.1.2.3/24` is ambiguous: say which network was meant).
 */
export function normaliseRule(value: string): RuleParse {
  if (typeof value !== 'string' || value.trim() === '')
    return { ok: false, error: 'empty', message: 'the rule is empty' };
  const v = value.trim();
  if (v.length > MAX_IP_TEXT + 4) return { ok: false, error: 'invalid', message: 'not an IPv4 address or CIDR range' };
  const { ip, prefix, prefixText } = splitRule(v);
  const addr = parseIp(ip);
  if (addr?.family === 6) {
    return { ok: false, error: 'ipv6_not_supported', message: 'ACR IP rules accept IPv4 addresses and ranges only' };
  }
  if (addr === null) return { ok: false, error: 'invalid', message: `"${v}" is not an IPv4 address or CIDR range` };
  if (prefixText !== null && (prefix === null || prefix > 32)) {
    return {
      ok: false,
      error: 'prefix_out_of_range',
      message: `prefix "/${prefixText}" must be a number from 0 to 32`,
    };
  }
  const bits = prefix ?? 32;
  const n = dottedQuad(addr.text)!;
  const network = (n & maskOf(bits)) >>> 0;
  if (network !== n) {
    const suggestion = `${intToV4(network)}/${bits}`;
    return {
      ok: false,
      error: 'host_bits_set',
      message: `${v} has host bits set; the /${bits} network containing it is ${suggestion} (or use ${addr.text}/32 for the single address)`,
      suggestion,
    };
  }
  return { ok: true, rule: { network: intToV4(network), prefixLength: bits, cidr: `${intToV4(network)}/${bits}` } };
}

/**
 * Lenient read of a rule that already exists on a registry: host bits are masked off (the network the rule
 * names), the way firewalls read such entries. Null for anything that is not IPv4.
 */
function readRule(value: string): RawRule | null {
  if (typeof value !== 'string') return null;
  const v = value.trim();
  if (v.length === 0 || v.length > MAX_IP_TEXT + 4) return null;
  const { ip, prefix, prefixText } = splitRule(v);
  const addr = v4Number(ip);
  if (addr === null) return null;
  if (prefixText !== null && (prefix === null || prefix > 32)) return null;
  const bits = prefix ?? 32;
  return { addr: (addr & maskOf(bits)) >>> 0, prefix: bits };
}

/** An IPv4 address as a number (for `rangeIncludes`); null for anything else, IPv6 included. */
export function ipv4Value(ip: string): number | null {
  return v4Number(ip);
}

/**
 * An IPv4 range as numbers, read the lenient way `readRule` reads a rule: parsed once, then tested against many
 * addresses (a service-tag index holds thousands of ranges).
 */
export interface Ipv4Range {
  network: number;
  prefixLength: number;
}

export function ipv4Range(text: string): Ipv4Range | null {
  const r = readRule(text);
  return r === null ? null : { network: r.addr, prefixLength: r.prefix };
}

export function rangeIncludes(range: Ipv4Range, value: number): boolean {
  return (value & maskOf(range.prefixLength)) >>> 0 === range.network;
}

/** Does an existing rule (`1.2.3.4`, `1.2.3.4/32`, `1.2.3.0/24`) admit this IPv4 address? False for IPv6. */
export function ruleCovers(rule: string, ip: string): boolean {
  const r = ipv4Range(rule);
  const a = ipv4Value(ip);
  return r !== null && a !== null && rangeIncludes(r, a);
}

/** The first rule, in order, that admits `ip`, as written on the registry; null when none does. */
export function firstCoveringRule(rules: readonly string[], ip: string): string | null {
  for (const r of rules) if (ruleCovers(r, ip)) return r;
  return null;
}

/**
 * Rules in the same /24 as `ip` that do not admit it: a typo in the last octet or a stale egress address next to
 * the current one. Ranges wider than /24 either cover the address or lie elsewhere, so they are never "near".
 */
export function nearRules(rules: readonly string[], ip: string): string[] {
  const a = ipv4Value(ip);
  if (a === null) return [];
  const slash24 = (a & maskOf(24)) >>> 0;
  const out: string[] = [];
  for (const rule of rules) {
    const r = readRule(rule);
    if (r === null || r.prefix < 24) continue;
    if ((r.addr & maskOf(24)) >>> 0 !== slash24) continue;
    if ((a & maskOf(r.prefix)) >>> 0 === r.addr) continue;
    out.push(rule);
  }
  return out;
}

export interface RuleBreadth {
  prefixLength: number;
  /** Addresses the rule admits: 2^(32 - prefix). */
  addressCount: number;
  /** True when the rule admits more than the policy's broadest prefix allows (`/24` under a `/32` policy). */
  widerThanPolicy: boolean;
  /** `0.0.0.0/0`: the whole IPv4 internet, the widest rule there is. */
  isEverything: boolean;
}

/** How wide a proposed rule is, against a broadest-allowed prefix (policy default /32). Null for a bad rule. */
export function ruleBreadth(rule: string, broadestPrefix = 32): RuleBreadth | null {
  const r = readRule(rule);
  if (r === null) return null;
  const policy = Number.isInteger(broadestPrefix) ? Math.min(32, Math.max(0, broadestPrefix)) : 32;
  return {
    prefixLength: r.prefix,
    addressCount: 2 ** (32 - r.prefix),
    widerThanPolicy: r.prefix < policy,
    isEverything: r.prefix === 0,
  };
}

/** The smallest rule for one client: `a.b.c.d/32`. Null for anything that is not IPv4. */
export function hostRule(ip: string): string | null {
  const p = parseIp(ip);
  return p?.family === 4 ? `${p.text}/32` : null;
}

/** Same rule after normalisation (`1.2.3.4` vs `1.2.3.4/32`)? Used when de-duplicating a rule set. */
export function sameRule(a: string, b: string): boolean {
  const x = readRule(a);
  const y = readRule(b);
  return x !== null && y !== null && x.addr === y.addr && x.prefix === y.prefix;
}
