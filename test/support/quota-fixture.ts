/**
 * The full registry of test/fixtures/states/quota.json and an address-by-address check of who gets in, written
 * here from first principles (no code of the bot's): a rule admits the addresses of its network, and a rule set
 * admits what any of its rules admits.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const QUOTA_STATE = path.resolve(here, '../fixtures/states/quota.json');

export const FABRIKAM = {
  name: 'fabrikamprod',
  id: '/subscriptions/3f6c1e52-7a8b-4c9d-8e0f-a1b2c3d4e5f6/resourceGroups/rg-fabrikam-registry/providers/Microsoft.ContainerRegistry/registries/fabrikamprod',
  /** As the fixture's README says: inside a wider rule. */
  covered: ['20.71.44.6', '81.2.69.64/29', '4.231.18.30/32'],
  /** Second copies (the first copy stays). */
  duplicates: ['51.158.181.11/32', '52.149.118.16/28'],
} as const;

function range(rule: string): [number, number] {
  const [ip, bits = '32'] = rule.split('/');
  const n = ip!.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  const start = n - (n % size);
  return [start, start + size - 1];
}

/** Addresses `before` admits that `after` does not, as numbers (checked one by one; at most a few thousand). */
export function addressesLost(before: readonly string[], after: readonly string[]): number[] {
  const a = after.map(range);
  const lost = new Set<number>();
  for (const [s, e] of before.map(range)) {
    if (e - s > 65_535) throw new Error('a rule too wide to check address by address');
    for (let x = s; x <= e; x++) if (!a.some(([as, ae]) => as <= x && x <= ae)) lost.add(x);
  }
  return [...lost].sort((x, y) => x - y);
}

/** `after` minus `before`, as written, one occurrence per entry. */
export function removedRules(before: readonly string[], after: readonly string[]): string[] {
  const left = [...after];
  return before.filter((v) => {
    const i = left.indexOf(v);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}
