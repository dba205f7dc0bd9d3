/**
 * Block Kit renderer: golden files for every Reply variant, every diagnosis cause and every finding kind; Slack's
 * limits under oversized input; escaping of user and Azure text. `UPDATE_GOLDEN=1 npx vitest run
 * test/unit/slack-render.test.ts` rewrites the golden files (review the diff before committing).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasInvisible } from '../../src/core/text/invisible.js';
import { describe, expect, it } from 'vitest';
import { blockKitProblems, renderReply, type SlackMessage } from '../../src/adapters/slack/render/index.js';
import { CAUSE_TITLES, KIND_TITLES } from '../../src/core/diagnose/words.js';
import { ACTION_IDS } from '../../src/adapters/slack/settings.js';
import { code, codeBlock, plainText, prose } from '../../src/adapters/slack/render/escape.js';
import { CAUSES, type Diagnosis } from '../../src/core/diagnosis.js';
import { FINDING_KINDS } from '../../src/core/finding.js';
import type { Reply } from '../../src/core/reply.js';
import { ADD_RULE, BY_CAUSE, BY_KIND, DENIED_TEXT, finding, goldenReplies, registry } from '../golden/slack/samples.js';

const GOLDEN_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../golden/slack');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/**
 * The words a message answered go with a retryable notice (Try again) and with the compact diagnoses of a paste
 * (Details). The finding-kind samples are rendered without them, so they show the expanded layout a slash command's
 * private answer gets.
 */
function render(name: string, reply: Reply): SlackMessage {
  const answered =
    name === 'notice-warning-retryable' || name.startsWith('diagnosis-cause-') || name === 'diagnoses-two';
  return renderReply(reply, answered ? { retry: { text: DENIED_TEXT, addressed: false } } : {});
}

/** Every mrkdwn/plain text in the message, with where it sits. */
function texts(m: SlackMessage): string[] {
  const out = [m.text];
  for (const b of m.blocks) {
    if (b.type === 'section') {
      if (b.text) out.push(b.text.text);
      for (const f of b.fields ?? []) out.push(f.text);
    } else if (b.type === 'header') out.push(b.text.text);
    else if (b.type === 'context') for (const e of b.elements) out.push(e.text);
    else if (b.type === 'actions') for (const e of b.elements) out.push(e.text.text);
  }
  return out;
}

function buttons(m: SlackMessage): Array<{ action_id: string; value?: string; url?: string }> {
  return m.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
}

describe('golden files', () => {
  const replies = goldenReplies();
  for (const [name, reply] of Object.entries(replies)) {
    it(`${name} matches test/golden/slack/${name}.json and fits Block Kit limits`, () => {
      const message = render(name, reply);
      expect(blockKitProblems(message)).toEqual([]);
      const file = path.join(GOLDEN_DIR, `${name}.json`);
      const actual = `${JSON.stringify(message, null, 2)}\n`;
      if (UPDATE) fs.writeFileSync(file, actual);
      expect(fs.existsSync(file), `missing golden ${file}: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(actual).toBe(fs.readFileSync(file, 'utf8'));
    });
  }

  it('has no stale golden files', () => {
    const expected = new Set(Object.keys(replies).map((n) => `${n}.json`));
    // modal-*.json belong to test/unit/slack-modal.test.ts.
    const present = fs.readdirSync(GOLDEN_DIR).filter((f) => f.endsWith('.json') && !f.startsWith('modal-'));
    expect(present.filter((f) => !expected.has(f))).toEqual([]);
  });
});

describe('every cause and finding kind', () => {
  it.each(CAUSES)('cause %s is rendered with its title, summary and fallback text', (cause) => {
    const d = BY_CAUSE[cause];
    const m = renderReply({ type: 'diagnoses', diagnoses: [d] });
    const all = texts(m).join('\n');
    const title = cause === 'not_a_firewall_error' ? KIND_TITLES[d.finding.kind] : CAUSE_TITLES[cause];
    expect(all).toContain(title);
    expect(m.text).toContain(title);
    expect(all).toContain(d.summary.slice(0, 40).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    if (d.finding.ip) expect(m.text).toContain(d.finding.ip);
  });

  it.each(FINDING_KINDS)('finding kind %s is rendered with its own title', (kind) => {
    const m = renderReply({ type: 'diagnoses', diagnoses: [BY_KIND[kind]] });
    expect(m.blocks[0]).toMatchObject({ type: 'section', block_id: 'd0' });
    expect(m.blocks[0]!.type === 'section' && m.blocks[0]!.text?.text.split('\n')[0]).toBe(
      `:information_source: *${KIND_TITLES[kind]}*`,
    );
    expect(blockKitProblems(m)).toEqual([]);
  });

  it('offers Request access only for a requestable rule on a registry it could read', () => {
    const withRule = buttons(renderReply({ type: 'diagnoses', diagnoses: [BY_CAUSE.ip_not_allowed] }));
    expect(withRule.map((b) => b.action_id)).toEqual([
      ACTION_IDS.requestAccess,
      ACTION_IDS.showRules,
      ACTION_IDS.learnMore,
    ]);
    expect(JSON.parse(withRule[0]!.value!)).toEqual({
      registryId: BY_CAUSE.ip_not_allowed.registry!.id,
      rule: '198.51.100.23/32',
      ip: '198.51.100.23',
    });
    expect(JSON.parse(withRule[1]!.value!)).toEqual({ registryId: BY_CAUSE.ip_not_allowed.registry!.id });

    const notRequestable = { ...BY_CAUSE.ip_not_allowed, fixes: [{ ...ADD_RULE, requestable: false }] };
    expect(buttons(renderReply({ type: 'diagnoses', diagnoses: [notRequestable] })).map((b) => b.action_id)).toEqual([
      ACTION_IDS.showRules,
      ACTION_IDS.learnMore,
    ]);
    expect(
      buttons(renderReply({ type: 'diagnoses', diagnoses: [BY_CAUSE.registry_not_found] })).map((b) => b.action_id),
    ).toEqual([ACTION_IDS.learnMore]);
  });
});

describe('compact by default', () => {
  const words = { text: DENIED_TEXT, addressed: false };

  it.each(CAUSES)('cause %s: the first screen is the title, the summary and the main buttons with Details', (cause) => {
    const d = BY_CAUSE[cause];
    const m = renderReply({ type: 'diagnoses', diagnoses: [d] }, { retry: words });
    expect(blockKitProblems(m)).toEqual([]);
    const ids = m.blocks.map((b) => b.block_id);
    const offers = d.hygiene ? d.hygiene.offers.map((_, i) => `d0_quota_offer_${i}`) : [];
    expect(ids).toEqual(['d0', ...offers, 'd0_actions']);
    const row = buttons(m);
    expect(row.at(-1)).toMatchObject({ action_id: ACTION_IDS.details, text: { text: 'Details' } });
    expect(JSON.parse(row.at(-1)!.value!)).toEqual(words);
    // Nothing of the evidence, the excerpt or the fixes on the first screen.
    expect(JSON.stringify(m.blocks)).not.toMatch(/Client IP|Fixes, smallest first|d0_paste|d0_facts/);
  });

  it('Details opens the evidence, the excerpt and every fix: the same diagnoses expanded, with no Details', () => {
    const d = BY_CAUSE.ip_not_allowed;
    const m = renderReply({ type: 'diagnoses', diagnoses: [d], expanded: true }, { retry: words });
    const ids = m.blocks.map((b) => b.block_id);
    expect(ids).toEqual(expect.arrayContaining(['d0', 'd0_facts', 'd0_paste', 'd0_fixes', 'd0_actions']));
    expect(buttons(m).map((b) => b.action_id)).not.toContain(ACTION_IDS.details);
    expect(JSON.stringify(m.blocks)).toContain('*Client IP*');
  });

  it('one Details for several diagnoses (it opens them all); words too long for a button: everything at once', () => {
    const two = renderReply(
      { type: 'diagnoses', diagnoses: [BY_CAUSE.ip_not_allowed, BY_CAUSE.azure_service_ip] },
      { retry: words },
    );
    expect(buttons(two).filter((b) => b.action_id === ACTION_IDS.details)).toHaveLength(1);
    const long = renderReply(
      { type: 'diagnoses', diagnoses: [BY_CAUSE.ip_not_allowed] },
      { retry: { text: DENIED_TEXT.padEnd(2000, ' x'), addressed: false } },
    );
    expect(buttons(long).map((b) => b.action_id)).not.toContain(ACTION_IDS.details);
    expect(long.blocks.map((b) => b.block_id)).toContain('d0_facts');
  });
});

describe('limits with oversized input', () => {
  const huge = (n: number, unit = 'x') => unit.repeat(n);

  function monster(i: number): Diagnosis {
    return {
      finding: finding({
        excerpt: huge(10_000, 'denied: client with IP '),
        repository: huge(500, 'r'),
        tool: huge(300, 't'),
      }),
      registry: registry({
        name: `reg${i}`,
        privateEndpoints: Array.from({ length: 100 }, (_, j) => ({
          name: `pe-${j}-${huge(50)}`,
          status: 'Approved',
          privateEndpointId: null,
        })),
      }),
      cause: 'ip_not_allowed',
      origin: 'paste',
      summary: huge(5000, 'long summary '),
      evidence: {
        sku: huge(3000),
        nearRules: Array.from({ length: 300 }, (_, j) => `10.0.${j % 256}.0/24`),
        privateEndpoints: Array.from({ length: 100 }, (_, j) => ({ name: `pe-${j}-${huge(80)}`, status: 'Approved' })),
        ipOwner: { kind: 'public_ip', name: huge(3000, 'n'), resourceId: null, detail: huge(3000, 'd') },
        notes: Array.from({ length: 50 }, () => huge(400, 'note ')),
      },
      fixes: Array.from({ length: 20 }, () => ({
        ...ADD_RULE,
        title: huge(1000, 'T'),
        detail: huge(4000, 'D'),
        command: huge(3000, 'c'),
      })),
    };
  }

  it('100 huge diagnoses: within every limit, the first kept, the rest counted', () => {
    const m = renderReply({ type: 'diagnoses', diagnoses: Array.from({ length: 100 }, (_, i) => monster(i)) });
    expect(blockKitProblems(m)).toEqual([]);
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    const shown = m.blocks.filter((b) => b.type === 'actions').length;
    expect(shown).toBeGreaterThanOrEqual(1);
    const last = m.blocks[m.blocks.length - 1]!;
    expect(last.type).toBe('context');
    expect(JSON.stringify(last)).toContain(`${100 - shown} more errors in this message are not shown`);
    expect(texts(m).join('\n')).toContain('…');
  });

  it('many small diagnoses stop at the 50-block limit', () => {
    const small: Diagnosis = { ...BY_CAUSE.registry_not_found, fixes: [] };
    const m = renderReply({ type: 'diagnoses', diagnoses: Array.from({ length: 60 }, () => small) });
    expect(blockKitProblems(m)).toEqual([]);
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(m.blocks.at(-1))).toMatch(/\d+ more errors in this message are not shown/);
  });

  it('a button whose value cannot fit is left out rather than cut', () => {
    const longId = `/subscriptions/${huge(2100, 'a')}`;
    const d = { ...BY_CAUSE.ip_not_allowed, registry: registry({ id: longId }) };
    const m = renderReply({ type: 'diagnoses', diagnoses: [d] });
    expect(blockKitProblems(m)).toEqual([]);
    expect(buttons(m).map((b) => b.action_id)).toEqual([ACTION_IDS.learnMore]);
  });

  it('a firewall with 1000 rules shows what fits and counts the rest', () => {
    const rules = Array.from({ length: 1000 }, (_, i) => `100.${Math.floor(i / 250)}.${i % 250}.0/24`);
    const m = renderReply({ type: 'firewall', registry: registry({ ipRules: rules }) });
    expect(blockKitProblems(m)).toEqual([]);
    const shown =
      texts(m)
        .join('\n')
        .match(/\b100\.\d+\.\d+\.0\/24\b/g)?.length ?? 0;
    expect(shown).toBeGreaterThan(150);
    expect(JSON.stringify(m)).toContain(`${1000 - shown} more rules are not shown.`);
  });

  it('200 rules (the ACR maximum) are all shown', () => {
    const m = renderReply({ type: 'firewall', registry: BY_CAUSE.rule_quota_full.registry! });
    expect(
      texts(m)
        .join('\n')
        .match(/\b20\.\d+\.\d+\.0\/24\b/g)?.length,
    ).toBe(200);
  });

  it('oversized notices and retry text', () => {
    const m = renderReply(
      { type: 'notice', tone: 'warning', title: huge(10_000, 'T'), text: huge(50_000, 'x'), retryable: true },
      { retry: { text: huge(5000, 'p'), addressed: false } },
    );
    expect(blockKitProblems(m)).toEqual([]);
    expect(buttons(m)).toEqual([]);
    expect(JSON.stringify(m)).toContain('try again in a minute');
  });
});

describe('invisible characters', () => {
  it('NUL, controls and bidirectional overrides never reach a message or a modal', () => {
    const evil = 'Eve\u202Egnp.exe\u0000\u2066\u200F';
    for (const out of [prose(evil), code(evil), codeBlock(evil), plainText(evil)]) {
      expect(hasInvisible(out)).toBe(false);
      expect(out).toContain('Evegnp.exe');
    }
  });
});

describe('escaping', () => {
  const EVIL =
    '<!channel> <!here> <@U0ADMIN> <#C0SECRET|secret> <https://evil.example|click> <!subteam^S1> & ``` *bold* `tick`';
  const ALLOWED_LINK = /^<https:\/\/learn\.microsoft\.com\/[^|<>\s]+\|Docs>$/;

  function evilDiagnosis(): Diagnosis {
    return {
      finding: finding({
        excerpt: `${DENIED_TEXT}\n${EVIL}`,
        loginServer: `x${EVIL}`,
        registryName: EVIL,
        repository: EVIL,
        tool: EVIL,
      }),
      registry: registry({ name: `reg${EVIL}`, loginServer: EVIL, resourceGroup: EVIL }),
      cause: 'azure_service_ip',
      origin: 'paste',
      summary: EVIL,
      evidence: {
        sku: EVIL,
        matchingRule: EVIL,
        nearRules: [EVIL],
        privateEndpoints: [{ name: EVIL, status: EVIL }],
        ipOwner: { kind: 'azure_service', name: EVIL, resourceId: EVIL, detail: EVIL, service: EVIL },
        notes: [EVIL],
      },
      fixes: [
        { ...ADD_RULE, title: EVIL, detail: EVIL, command: EVIL, rule: EVIL },
        { ...ADD_RULE, docsUrl: 'javascript:alert(1)' },
      ],
    };
  }

  function assertInert(m: SlackMessage): void {
    for (const t of texts(m)) {
      for (const match of t.match(/<[^>]*>?/g) ?? []) expect(match).toMatch(ALLOWED_LINK);
      expect(t).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
    for (const b of buttons(m)) if (b.url) expect(b.url).toMatch(/^https:\/\//);
  }

  it('user and Azure text in a diagnosis cannot mention, broadcast or link', () => {
    const m = renderReply({ type: 'diagnoses', diagnoses: [evilDiagnosis()] });
    expect(blockKitProblems(m)).toEqual([]);
    assertInert(m);
    expect(texts(m).join('\n')).toContain('&lt;!channel&gt;');
  });

  it('pasted text cannot close its code block', () => {
    const m = renderReply({ type: 'diagnoses', diagnoses: [evilDiagnosis()] });
    const paste = m.blocks.find((b) => b.block_id === 'd0_paste');
    expect(paste?.type).toBe('section');
    const t = paste?.type === 'section' ? paste.text!.text : '';
    expect(t.startsWith('```')).toBe(true);
    expect(t.indexOf('```', 3)).toBe(t.length - 3);
  });

  it('firewall and notice text are escaped too', () => {
    assertInert(
      renderReply({
        type: 'firewall',
        registry: registry({
          name: 'ok',
          loginServer: EVIL,
          ipRules: [EVIL],
          location: EVIL,
          privateEndpoints: [{ name: EVIL, status: EVIL, privateEndpointId: null }],
        }),
      }),
    );
    assertInert(
      renderReply(
        { type: 'notice', tone: 'error', title: EVIL, text: EVIL, retryable: true },
        { retry: { text: EVIL, addressed: true } },
      ),
    );
  });
});
