import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderReply } from '../../src/adapters/teams/cards/render.js';
import { CAUSES } from '../../src/core/diagnosis.js';
import { FINDING_KINDS } from '../../src/core/finding.js';
import { BY_CAUSE, BY_KIND, HOSTILE, REPLIES } from '../golden/teams/fixtures.js';
import { validateCard } from '../golden/teams/validate-card.js';

const GOLDEN_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../golden/teams');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** Every string a Teams client may render as Markdown (TextRun text is plain by schema and is skipped). */
function allTexts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) allTexts(n, out);
  else if (node && typeof node === 'object') {
    if ((node as { type?: unknown }).type === 'TextRun') return out;
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'text' || k === 'value' || k === 'title' || k === 'fallbackText') && typeof v === 'string')
        out.push(v);
      else allTexts(v, out);
    }
  }
  return out;
}

describe('Teams cards: every Reply variant, cause and finding kind', () => {
  it('has a fixture for every cause and every finding kind', () => {
    expect(Object.keys(BY_CAUSE).sort()).toEqual([...CAUSES].sort());
    expect(Object.keys(BY_KIND).sort()).toEqual([...FINDING_KINDS].sort());
  });

  for (const [name, reply] of Object.entries(REPLIES)) {
    it(`${name}: valid Adaptive Card 1.5, matches its golden file`, () => {
      const card = renderReply(reply);
      expect(card.version).toBe('1.5');
      expect(validateCard(card)).toEqual([]);
      const file = path.join(GOLDEN_DIR, `${name}.json`);
      const text = `${JSON.stringify(card, null, 2)}\n`;
      if (UPDATE || !fs.existsSync(file)) {
        if (!UPDATE && process.env.CI)
          throw new Error(
            `golden file ${file} is missing: run UPDATE_GOLDEN=1 npx vitest run test/unit/teams-cards.test.ts`,
          );
        fs.writeFileSync(file, text);
      }
      expect(text, `card drifted from ${name}.json; if intended, run with UPDATE_GOLDEN=1`).toBe(
        fs.readFileSync(file, 'utf8'),
      );
    });
  }

  it('the validator itself rejects bad cards', () => {
    expect(validateCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Bogus' }] })).not.toEqual([]);
    expect(
      validateCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'x', colour: 'Good' }] }),
    ).not.toEqual([]);
    expect(
      validateCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'x', size: 'Huge' }] }),
    ).not.toEqual([]);
  });

  it('states the cause in one sentence and shows the IP for a firewall denial', () => {
    const texts = allTexts(renderReply(REPLIES['cause-ip_not_allowed']!));
    expect(texts).toContain('Registry firewall: this IP is not allowed');
    expect(texts.some((t) => t.includes('203.0.113.7'))).toBe(true);
    expect(texts).toContain('4/200');
  });

  it('offers Request access only when a fix is requestable, Show rules for a registry it read, Learn more as a URL', () => {
    const actionsOf = (r: (typeof REPLIES)[string]) => JSON.stringify(renderReply(r));
    const denied = actionsOf(REPLIES['cause-ip_not_allowed']!);
    expect(denied).toContain('"verb":"request_access"');
    expect(denied).toContain('{"type":"Action.ToggleVisibility","title":"Show rules","targetElements":["d0-rules"]}');
    expect(denied).toContain('"type":"Action.OpenUrl","title":"Learn more"');
    for (const cause of CAUSES.filter((c) => c !== 'ip_not_allowed')) {
      expect(actionsOf(REPLIES[`cause-${cause}`]!), cause).not.toContain('request_access');
    }
    expect(actionsOf(REPLIES['cause-registry_not_found']!)).not.toContain('"title":"Show rules"');
  });

  it('neutralises Markdown, links, mentions and entities in echoed text', () => {
    const texts = allTexts(renderReply(REPLIES['diagnoses-hostile']!));
    const joined = texts.join('\n');
    expect(joined).not.toContain('**');
    expect(joined).not.toContain('[click](');
    expect(joined).not.toContain('<https://');
    expect(joined).not.toMatch(/<at>/i);
    expect(joined).not.toContain('&lt;');
    expect(joined).toContain('evil.example');
    // The excerpt is kept verbatim in a TextRun (never Markdown), with only the mention tag broken up.
    const runs = JSON.stringify(renderReply(REPLIES['diagnoses-hostile']!));
    expect(runs).toContain('**bold** _it_ [click](https://evil.example)');
    expect(HOSTILE).toContain('<at>');
    expect(runs).not.toMatch(/<at>/i);
  });
});
