/**
 * One diagnosis, two platforms, the same words: for every cause (a paste, and a check where the registry was read),
 * the Teams card and the Slack message carry the same title (a check's verdict), summary, facts, fix titles and
 * main buttons (Details included; in Slack the facts and fixes are read from what Details opens). Both renderers
 * only lay out the one neutral view (core/diagnose/view.ts), so any drift fails here. The CLI's text prints the same
 * facts.
 */
import { describe, expect, it } from 'vitest';
import { renderReply as renderSlack } from '../../src/adapters/slack/render/index.js';
import { renderReply as renderTeams } from '../../src/adapters/teams/cards/render.js';
import { renderText } from '../../src/cli/render-text.js';
import { diagnose } from '../../src/core/diagnose/index.js';
import { diagnosisView } from '../../src/core/diagnose/view.js';
import { CAUSES, type Diagnosis } from '../../src/core/diagnosis.js';
import { finding, registry } from '../golden/teams/fixtures.js';
import { causeInputs } from '../support/cause-inputs.js';
import { slackWords, teamsWords } from '../support/diagnosis-words.js';

const INPUTS = causeInputs({ finding, registry });

/** Slack: the compact message a paste gets, and what its Details button opens (the same diagnoses, expanded). */
function both(d: Diagnosis) {
  const reply = { type: 'diagnoses' as const, diagnoses: [d] };
  const words = { text: d.finding.excerpt, addressed: d.origin === 'check' };
  const slack = slackWords(renderSlack(reply, { retry: words }), renderSlack({ ...reply, expanded: true }));
  return { teams: teamsWords(renderTeams(reply)), slack };
}

const SAMPLES: Array<[string, Diagnosis]> = CAUSES.flatMap((cause): Array<[string, Diagnosis]> => {
  const [f, inspection] = INPUTS[cause];
  const paste = diagnose(f, inspection);
  const check = diagnose(f, inspection, { check: true });
  return check.verdict
    ? [
        [cause, paste],
        [`${cause} (check)`, check],
      ]
    : [[cause, paste]];
});

describe('Teams and Slack diagnoses carry the same words', () => {
  for (const [name, d] of SAMPLES) {
    it(name, () => {
      const { teams, slack } = both(d);
      const view = diagnosisView(d);
      expect(teams.title).toBe(view.title);
      expect(slack.title).toBe(teams.title);
      expect(slack.summary).toBe(teams.summary);
      expect(slack.facts).toEqual(teams.facts);
      expect(slack.fixes).toEqual(teams.fixes);
      expect(slack.buttons).toEqual(teams.buttons);
      expect(teams.fixes).toEqual(view.fixes.map((f) => f.title));
      expect(teams.facts.length).toBeGreaterThan(0);
      expect(teams.buttons).toContain('Learn more');
      expect(teams.buttons.at(-1)).toBe('Details');
      if (view.requestAccess) expect(teams.buttons[0]).toBe('Request access');
      if (d.verdict) expect(teams.title).toMatch(/ (can reach|is refused by) /);
      // The CLI prints the same evidence: every fact the cards carry, label and value, on its own line.
      const cli = renderText({ type: 'diagnoses', diagnoses: [d] }).split('\n');
      for (const f of view.facts) expect(cli).toContain(`  ${f.label.padEnd(24)}${f.text}`);
    });
  }
});
