/** IP reasoning for ACR IP rules (src/core/ip.ts). Lives with the parser tests: the parser validates IPs with it. */
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import {
  classifyIp,
  embeddedIpv4,
  firstCoveringRule,
  hostRule,
  isIpv4,
  isIpv6,
  nearRules,
  normaliseRule,
  parseIp,
  ruleBreadth,
  ruleCovers,
  sameRule,
} from '../../../src/core/ip.js';

describe('parseIp', () => {
  it.each([
    ['203.0.113.7', 4, '203.0.113.7'],
    [' 203.0.113.7 ', 4, '203.0.113.7'],
    ['0.0.0.0', 4, '0.0.0.0'],
    ['255.255.255.255', 4, '255.255.255.255'],
    ['2001:db8::7', 6, '2001:db8::7'],
    ['2001:DB8:0:0:0:0:0:7', 6, '2001:db8::7'],
    ['[2001:db8::7]', 6, '2001:db8::7'],
    ['::1', 6, '::1'],
    ['::ffff:203.0.113.5', 6, '::ffff:cb00:7105'],
  ])('%s is IPv%i (%s)', (text, family, canonical) => {
    expect(parseIp(text)).toEqual({ family, text: canonical });
  });

  it.each([
    '',
    ' ',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3.04',
    '0x1.2.3.4',
    '1.2.3.4/32',
    'xx.xx.xx.xx',
    '52.xxx. xxx.  xxx ',
    'fe80::1%eth0',
    '2001:db8::7::1',
    'localhost',
    '1'.repeat(100),
  ])('%j is not an address', (text) => {
    expect(parseIp(text)).toBeNull();
    expect(isIpv4(text) || isIpv6(text)).toBe(false);
  });

  it('never throws on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
        parseIp(s);
        classifyIp(s);
        normaliseRule(s);
        ruleCovers(s, s);
        ruleBreadth(s);
        nearRules([s], s);
      }),
      { numRuns: 500 },
    );
  });

  it('reads IPv4 exactly as ipaddr.js reads a four-part decimal address', () => {
    // The reference: what parseIp accepted as IPv4 before it scanned dotted quads by hand.
    const reference = (t: string): string | null =>
      ipaddr.IPv4.isValidFourPartDecimal(t) ? ipaddr.IPv4.parse(t).toString() : null;
    const part = fc.oneof(
      fc.integer({ min: 0, max: 300 }).map(String),
      fc.stringMatching(/^[0-9]{1,4}$/),
      fc.constantFrom('', '0x1f', '-1', '+1', ' 1', '1e2', '٣'),
    );
    const text = fc.oneof(
      fc.array(part, { minLength: 1, maxLength: 6 }).map((p) => p.join('.')),
      fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '9', '.', 'x', ':'), maxLength: 20 }),
    );
    fc.assert(
      fc.property(text, (t) => {
        const want = reference(t.trim());
        const got = parseIp(t);
        expect(got?.family === 4 ? got.text : null).toBe(want);
        if (want !== null) expect(classifyIp(t)).not.toBe('ipv6');
      }),
      { numRuns: 3000 },
    );
  });

  it('embeddedIpv4 finds the IPv4 in a mapped address only', () => {
    expect(embeddedIpv4('::ffff:203.0.113.5')).toBe('203.0.113.5');
    expect(embeddedIpv4('2001:db8::7')).toBeNull();
    expect(embeddedIpv4('203.0.113.5')).toBeNull();
  });
});

describe('classifyIp', () => {
  it.each([
    ['20.29.127.164', 'public'],
    ['172.160.222.136', 'public'], // outside 172.16.0.0/12
    ['168.63.129.16', 'public'], // Azure's platform address is routable; it is not a client anyway
    ['10.0.0.4', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.10', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['100.128.0.1', 'public'],
    ['127.0.0.53', 'loopback'],
    ['169.254.169.254', 'link_local'],
    ['192.0.2.10', 'documentation'],
    ['198.51.100.23', 'documentation'],
    ['203.0.113.7', 'documentation'],
    ['0.0.0.0', 'reserved'],
    ['0.1.2.3', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['192.88.99.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['198.20.0.1', 'public'],
    ['224.0.0.251', 'reserved'],
    ['239.255.255.250', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['2001:db8::7', 'ipv6'],
    ['::1', 'ipv6'],
    ['not-an-ip', null],
  ])('%s → %s', (ip, cls) => {
    expect(classifyIp(ip)).toBe(cls);
  });
});

describe('normaliseRule', () => {
  it('a bare address is the /32 rule', () => {
    expect(normaliseRule('203.0.113.7')).toEqual({
      ok: true,
      rule: { network: '203.0.113.7', prefixLength: 32, cidr: '203.0.113.7/32' },
    });
    expect(normaliseRule(' 203.0.113.7/32 ')).toEqual(normaliseRule('203.0.113.7'));
  });

  it('CIDR ranges, including the whole internet', () => {
    expect(normaliseRule('203.0.113.0/24')).toMatchObject({
      ok: true,
      rule: { cidr: '203.0.113.0/24', prefixLength: 24 },
    });
    expect(normaliseRule('0.0.0.0/0')).toMatchObject({ ok: true, rule: { cidr: '0.0.0.0/0', prefixLength: 0 } });
  });

  it('host bits set: refused, with the network it probably meant', () => {
    const r = normaliseRule('10.1.2.3/24');
    expect(r).toMatchObject({ ok: false, error: 'host_bits_set', suggestion: '10.1.2.0/24' });
    if (!r.ok) expect(r.message).toContain('10.1.2.3/32');
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['2001:db8::/64', 'ipv6_not_supported'],
    ['2001:db8::7', 'ipv6_not_supported'],
    ['1.2.3.4/33', 'prefix_out_of_range'],
    ['1.2.3.4/', 'prefix_out_of_range'],
    ['1.2.3.4/-1', 'prefix_out_of_range'],
    ['1.2.3.4/2x', 'prefix_out_of_range'],
    ['1.2.3.4/0032', 'prefix_out_of_range'],
    ['1.2.3', 'invalid'],
    ['my laptop', 'invalid'],
    ['1.2.3.4/24/8', 'prefix_out_of_range'],
  ])('%j → %s', (value, error) => {
    expect(normaliseRule(value)).toMatchObject({ ok: false, error });
  });

  it('hostRule and sameRule', () => {
    expect(hostRule('203.0.113.7')).toBe('203.0.113.7/32');
    expect(hostRule('2001:db8::7')).toBeNull();
    expect(sameRule('203.0.113.7', '203.0.113.7/32')).toBe(true);
    expect(sameRule('203.0.113.0/24', '203.0.113.0/25')).toBe(false);
  });
});

describe('ruleCovers and firstCoveringRule', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7', true],
    ['203.0.113.7/32', '203.0.113.7', true],
    ['203.0.113.7/32', '203.0.113.8', false],
    ['203.0.113.0/24', '203.0.113.255', true],
    ['203.0.113.0/24', '203.0.114.0', false],
    ['203.0.113.128/25', '203.0.113.127', false],
    ['203.0.113.128/25', '203.0.113.128', true],
    ['0.0.0.0/0', '8.8.8.8', true],
    ['10.1.2.3/24', '10.1.2.200', true], // an existing rule with host bits is read as its network
    ['203.0.113.7', '2001:db8::7', false],
    ['garbage', '203.0.113.7', false],
  ])('%s covers %s: %s', (rule, ip, covers) => {
    expect(ruleCovers(rule, ip)).toBe(covers);
  });

  it('finds the first covering rule as written on the registry', () => {
    const rules = ['198.51.100.0/24', '203.0.113.0/28', '203.0.113.7', '0.0.0.0/0'];
    expect(firstCoveringRule(rules, '203.0.113.7')).toBe('203.0.113.0/28');
    expect(firstCoveringRule(['198.51.100.1'], '203.0.113.7')).toBeNull();
  });

  it('agrees with a brute-force mask computation', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 0xffffffff }),
        fc.nat({ max: 0xffffffff }),
        fc.integer({ min: 0, max: 32 }),
        (a, b, p) => {
          const dotted = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
          const mask = p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0;
          const net = (a & mask) >>> 0;
          expect(ruleCovers(`${dotted(net)}/${p}`, dotted(b))).toBe((b & mask) >>> 0 === net);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('ruleBreadth', () => {
  it.each([
    ['203.0.113.7', 32, { prefixLength: 32, addressCount: 1, widerThanPolicy: false, isEverything: false }],
    ['203.0.113.0/24', 32, { prefixLength: 24, addressCount: 256, widerThanPolicy: true, isEverything: false }],
    ['203.0.113.0/24', 24, { prefixLength: 24, addressCount: 256, widerThanPolicy: false, isEverything: false }],
    ['10.0.0.0/8', 24, { prefixLength: 8, addressCount: 16_777_216, widerThanPolicy: true, isEverything: false }],
    ['0.0.0.0/0', 0, { prefixLength: 0, addressCount: 4_294_967_296, widerThanPolicy: false, isEverything: true }],
    ['0.0.0.0/0', 32, { prefixLength: 0, addressCount: 4_294_967_296, widerThanPolicy: true, isEverything: true }],
  ])('%s under a /%i policy', (rule, policy, breadth) => {
    expect(ruleBreadth(rule, policy)).toEqual(breadth);
  });

  it('defaults to a /32 policy and refuses bad rules', () => {
    expect(ruleBreadth('203.0.113.0/31')?.widerThanPolicy).toBe(true);
    expect(ruleBreadth('2001:db8::/64')).toBeNull();
  });
});

describe('nearRules', () => {
  it('rules in the same /24 that do not admit the IP: typos and stale egress addresses', () => {
    const rules = [
      '203.0.113.70',
      '203.0.113.0/28',
      '203.0.113.7/32',
      '203.0.112.7',
      '203.0.0.0/16',
      '198.51.100.7',
      '203.0.113.64/26',
    ];
    expect(nearRules(rules, '203.0.113.7')).toEqual(['203.0.113.70', '203.0.113.64/26']);
    expect(nearRules(rules, '203.0.113.200')).toEqual([
      '203.0.113.70',
      '203.0.113.0/28',
      '203.0.113.7/32',
      '203.0.113.64/26',
    ]);
  });

  it('nothing for IPv6 or an empty rule set', () => {
    expect(nearRules(['203.0.113.7'], '2001:db8::7')).toEqual([]);
    expect(nearRules([], '203.0.113.7')).toEqual([]);
  });
});
