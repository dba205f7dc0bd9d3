/**
 * One request, two platforms, the same words: for every sample view (every status, both audiences), the Teams card
 * and the Slack message carry the same title, status line, facts (label and words, in order), warnings and button
 * labels. Both renderers only lay out the one neutral view, so any drift fails here.
 */
import { describe, expect, it } from 'vitest';
import { renderReply as renderSlack } from '../../src/adapters/slack/render/index.js';
import { renderReply as renderTeams } from '../../src/adapters/teams/cards/render.js';
import type { RequestView } from '../../src/core/approval-views.js';
import { REQUEST_STATUSES } from '../../src/core/requests/types.js';
import { VIEWS } from '../golden/slack/approval-samples.js';
import { view } from '../golden/teams/approval-fixtures.js';

interface Words {
  title: string;
  status: string[];
  facts: Array<[string, string]>;
  warnings: string[];
  buttons: string[];
}

function unSlack(s: string): string {
  return s
    .replace(/<!date\^\d+\^[^|]*\|([^>]*)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

type Json = any;

function slackWords(v: RequestView): Words {
  const m = renderSlack({ type: 'request', view: v }) as Json;
  const block = (id: string) => m.blocks.find((b: Json) => b.block_id === id);
  const status = unSlack(block('request_status').text.text)
    .split('\n')
    .map((l: string) => l.replace(/^:[a-z_]+: \*(.*)\*$/, '$1'));
  const facts: Array<[string, string]> = m.blocks
    .filter((b: Json) => typeof b.block_id === 'string' && b.block_id.startsWith('request_facts'))
    .flatMap((b: Json) => b.fields)
    .map((f: Json) => {
      const [label, ...rest] = unSlack(f.text).split('\n');
      return [label!.replace(/^\*(.*)\*$/, '$1'), rest.join('\n')];
    });
  const flags = block('request_flags');
  const warnings = flags ? unSlack(flags.elements[0].text).split('\n') : [];
  const buttons = (block('request_actions')?.elements ?? []).map((e: Json) => e.text.text);
  return { title: m.blocks[0].text.text, status, facts, warnings, buttons };
}

function teamsWords(v: RequestView): Words {
  const c = renderTeams({ type: 'request', view: v }, {}) as Json;
  const head = c.body[0].items.map((i: Json) => i.text);
  const [label, title, ...rest] = head;
  const facts = c.body.find((b: Json) => b.type === 'FactSet').facts.map((f: Json) => [f.title, f.value]);
  const box = c.body.find((b: Json) => b.type === 'Container' && b.style === 'warning' && b !== c.body[0]);
  const warnings = box
    ? [
        `*${box.items[0].text}*`,
        box.items
          .slice(1)
          .map((i: Json) => i.text)
          .join(' · '),
      ]
    : [];
  const buttons = (c.actions ?? []).map((a: Json) => a.title);
  return { title, status: [label, ...rest], facts, warnings, buttons };
}

/** Teams neutralises markup by look-alike characters, Slack by entities: compare the words under both. */
const LOOKALIKE: Record<string, string> = {
  '\u2217': '*',
  '\uFF3F': '_',
  '\uFF3B': '[',
  '\uFF3D': ']',
  '\u2039': '<',
  '\u203A': '>',
  '\u223C': '~',
  '\u2223': '|',
  '\u29F5': '\\',
  '\uFF06': '&',
};
const plain = (s: string): string =>
  s.replace(/[\u2217\uFF3F\uFF3B\uFF3D\u2039\u203A\u223C\u2223\u29F5\uFF06]/g, (c) => LOOKALIKE[c]!);

function normalise(w: Words): Words {
  w = {
    title: plain(w.title),
    status: w.status.map(plain),
    facts: w.facts.map(([l, t]) => [plain(l), plain(t)]),
    warnings: w.warnings.map(plain),
    buttons: w.buttons.map(plain),
  };
  return {
    ...w,
    warnings: w.warnings.map((x) =>
      x
        .replace(/^:warning: /, '')
        .replace(/^\u26A0 /, '')
        .replace(/ · \u26A0 /g, ' · '),
    ),
  };
}

const SAMPLES: Array<[string, RequestView]> = [
  ...Object.entries(VIEWS).filter(([name]) => name !== 'hostile'),
  ...REQUEST_STATUSES.flatMap((s) =>
    (['conversation', 'personal'] as const).map((a): [string, RequestView] => {
      const v = view(s, a);
      // The Teams samples carry hostile text on purpose; compare words on a plain reason.
      return [`${s}-${a}`, view(s, a, { ...v.request, reason: 'Nightly build agents moved' })];
    }),
  ),
];

describe('Teams and Slack request cards carry the same words', () => {
  for (const [name, v] of SAMPLES) {
    it(name, () => {
      const slack = normalise(slackWords(v));
      const teams = normalise(teamsWords(v));
      expect(slack.title).toBe(teams.title);
      expect(slack.status).toEqual(teams.status);
      expect(slack.facts).toEqual(teams.facts);
      expect(slack.warnings).toEqual(teams.warnings);
      // Teams shows buttons on personal views only (a shared card gets them through per-user refresh).
      if (v.audience === 'personal') expect(slack.buttons).toEqual(teams.buttons);
      expect(slack.facts.length).toBeGreaterThan(5);
    });
  }
});
