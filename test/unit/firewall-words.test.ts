/**
 * A registry's firewall in the same words on both platforms: title, headline, every setting (label and value, in
 * order), the rules heading and what is said about rules left out, from core/firewall-view.ts. Both renderers lay
 * out the one view, so a per-platform label or value fails here.
 */
import { describe, expect, it } from 'vitest';
import { renderReply as renderSlack } from '../../src/adapters/slack/render/index.js';
import { renderReply as renderTeams } from '../../src/adapters/teams/cards/render.js';
import { firewallView } from '../../src/core/firewall-view.js';
import type { RegistrySnapshot } from '../../src/core/registry.js';
import { registry } from '../golden/teams/fixtures.js';
import { plain, unSlack } from '../support/card-words.js';

// Wire payloads are JSON read loosely here.
type Json = any;

interface FirewallWords {
  title: string;
  headline: string;
  facts: Array<[string, string]>;
  rulesHeading: string | null;
  more: string | null;
}

function teamsWords(r: RegistrySnapshot): FirewallWords {
  const c: Json = renderTeams({ type: 'firewall', registry: r });
  const texts = c.body.filter((b: Json) => b.type === 'TextBlock');
  const more = texts.find((b: Json) => b.isSubtle && b.size === 'Small');
  return {
    title: plain(texts[0].text),
    headline: plain(texts[1].text),
    facts: c.body.find((b: Json) => b.type === 'FactSet').facts.map((f: Json) => [plain(f.title), plain(f.value)]),
    rulesHeading: texts.find((b: Json) => b.separator)?.text ?? null,
    more: more ? plain(more.text) : null,
  };
}

function slackWords(r: RegistrySnapshot): FirewallWords {
  const m: Json = renderSlack({ type: 'firewall', registry: r });
  const block = (id: string) => m.blocks.find((b: Json) => b.block_id === id);
  const rules = block('rules_0');
  return {
    title: m.blocks[0].text.text,
    headline: unSlack(block('headline').text.text),
    facts: m.blocks
      .filter((b: Json) => typeof b.block_id === 'string' && b.block_id.startsWith('settings'))
      .flatMap((b: Json) => b.fields)
      .map((f: Json) => {
        const [label, ...rest] = unSlack(f.text).split('\n');
        return [label!.replace(/^\*(.*)\*$/, '$1'), rest.join('\n')];
      }),
    rulesHeading: rules ? /^\*(.*)\*\n/.exec(rules.text.text)![1]! : null,
    more: block('rules_more') ? unSlack(block('rules_more').elements[0].text) : null,
  };
}

const SAMPLES: Record<string, RegistrySnapshot> = {
  rules: registry({ privateEndpoints: [{ name: 'pe-contosoprod-hub', status: 'Approved', privateEndpointId: null }] }),
  'no rules': registry({ ipRules: [], defaultAction: 'Deny' }),
  'full (200 rules)': registry({
    ipRules: Array.from({ length: 200 }, (_, i) => `198.18.${Math.floor(i / 50)}.${i % 50}`),
  }),
  'public access disabled': registry({ publicNetworkAccess: 'Disabled' }),
  'allows all': registry({ defaultAction: 'Allow' }),
};

describe('Teams and Slack firewall cards carry the same words', () => {
  for (const [name, r] of Object.entries(SAMPLES)) {
    it(name, () => {
      const [t, s] = [teamsWords(r), slackWords(r)];
      const v = firewallView(r);
      expect(t.title).toBe(v.title);
      expect(s.title).toBe(v.title);
      expect(t.headline).toBe(v.headline);
      expect(s.headline).toBe(v.headline);
      expect(t.facts).toEqual(v.facts.map((f) => [f.label, f.text]));
      expect(s.facts).toEqual(t.facts);
      expect(s.rulesHeading).toBe(t.rulesHeading);
      if (r.ipRules.length > 0) expect(t.rulesHeading).toBe(v.rulesHeading);
      // Each platform fits a different number of rules; both count the rest in the same words.
      for (const more of [t.more, s.more])
        if (more !== null) expect(more).toMatch(/^\d+ more rules? (is|are) not shown\.$/);
    });
  }
});
