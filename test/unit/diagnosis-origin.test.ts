/**
 * A check is a question, a paste is an error: every renderer reads which one from the diagnosis's `origin`, never
 * from the words of its excerpt. The same finding text is rendered both ways to show it.
 */
import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/cli/render-text.js';
import { diagnose } from '../../src/core/diagnose/index.js';
import type { Finding } from '../../src/core/finding.js';
import { renderDiagnoses as slackDiagnoses } from '../../src/adapters/slack/render/diagnoses.js';
import { renderDiagnoses as teamsDiagnoses } from '../../src/adapters/teams/cards/diagnoses.js';

// A check whose registry nobody can see has no verdict; its excerpt is deliberately not "check …".
const finding: Finding = {
  kind: 'firewall_denied',
  loginServer: null,
  registryName: 'nosuchacr',
  ip: '52.170.1.20',
  repository: null,
  reference: null,
  tool: null,
  excerpt: 'EXCERPT-MARKER nosuchacr 52.170.1.20',
};
const lookup = { registry: { status: 'not_found' as const, searchedSubscriptions: 2 }, ipOwner: null };

describe('paste or check, from the diagnosis', () => {
  const check = diagnose(finding, lookup, { check: true });
  const paste = diagnose(finding, lookup);

  it('diagnose records the origin; a check without a read registry has no verdict', () => {
    expect(check.origin).toBe('check');
    expect(check.verdict).toBeUndefined();
    expect(paste.origin).toBe('paste');
  });

  it('text, Teams and Slack show the excerpt and the Error row for the paste only', () => {
    for (const [d, shown] of [
      [paste, true],
      [check, false],
    ] as const) {
      expect(renderText({ type: 'diagnoses', diagnoses: [d] }).includes('EXCERPT-MARKER')).toBe(shown);
      const teams = JSON.stringify(teamsDiagnoses([d]));
      expect(teams.includes('EXCERPT-MARKER')).toBe(shown);
      expect(teams.includes('"title":"Error"')).toBe(shown);
      expect(JSON.stringify(slackDiagnoses([d]).blocks).includes('EXCERPT-MARKER')).toBe(shown);
    }
  });
});
