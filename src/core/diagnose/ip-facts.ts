/** The client address as the registry's IP rules see it, from core/ip (the one place IP math lives). */
import { classifyIp, embeddedIpv4, firstCoveringRule, nearRules, parseIp } from '../ip.js';
import type { IpFacts } from './input.js';

/**
 * Null when there is no address or it does not parse (the parser hands over only addresses, so that means the
 * paste redacted it). An IPv4-mapped IPv6 address (`::ffff:203.0.113.7`) is the IPv4 client it carries.
 */
export function ipFactsOf(ip: string | null, rules: readonly string[]): IpFacts | null {
  if (ip === null) return null;
  const parsed = parseIp(ip);
  if (parsed === null) return null;
  const address = embeddedIpv4(parsed.text) ?? parsed.text;
  const ipClass = classifyIp(address);
  if (ipClass === null) return null;
  if (ipClass === 'ipv6') return { address, ipClass, matchingRule: null, nearRules: [] };
  return { address, ipClass, matchingRule: firstCoveringRule(rules, address), nearRules: nearRules(rules, address) };
}
