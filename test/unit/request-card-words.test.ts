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
import {
  normalise,
  slackWords as slackMessageWords,
  teamsWords as teamsCardWords,
  type CardWords,
} from '../support/card-words.js';

const slackWords = (v: RequestView): CardWords => slackMessageWords(renderSlack({ type: 'request', view: v }));
const teamsWords = (v: RequestView): CardWords => teamsCardWords(renderTeams({ type: 'request', view: v }, {}));

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
      expect(slack.note).toBe(teams.note);
      // Teams shows buttons on personal views only (a shared card gets them through per-user refresh).
      if (v.audience === 'personal') expect(slack.buttons).toEqual(teams.buttons);
      expect(slack.facts.length).toBeGreaterThan(5);
    });
  }
});
