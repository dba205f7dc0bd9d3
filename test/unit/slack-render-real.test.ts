/**
 * Block Kit from the real diagnosis engine (src/core/diagnose): one input per cause and one per finding kind, run
 * through diagnose() and rendered. Complements the golden files (built from hand-made Diagnosis objects) by proving
 * the renderer copes with what the engine produces: within Slack's limits, cause title, IP, and the right buttons.
 */
import { describe, expect, it } from 'vitest';
import { blockKitProblems, renderReply } from '../../src/adapters/slack/render/index.js';
import { CAUSE_TITLES, KIND_TITLES } from '../../src/core/diagnose/words.js';
import { diagnose } from '../../src/core/diagnose/index.js';
import { diagnosisView } from '../../src/core/diagnose/view.js';
import { CAUSES } from '../../src/core/diagnosis.js';
import { FINDING_KINDS, type Finding } from '../../src/core/finding.js';
import { finding as baseFinding, registry } from '../golden/slack/samples.js';
import { CAUSE_INPUT_IP, causeInputs } from '../support/cause-inputs.js';

const IP = CAUSE_INPUT_IP;
const f = (over: Partial<Finding> = {}): Finding =>
  baseFinding({ ip: IP, excerpt: `denied: client with IP '${IP}' is not allowed access`, ...over });
const INPUTS = causeInputs({ finding: baseFinding, registry });

const actionIds = (blocks: unknown[]): string[] =>
  blocks.flatMap((b) =>
    (b as { type: string }).type === 'actions'
      ? (b as { elements: Array<{ action_id: string }> }).elements.map((e) => e.action_id)
      : [],
  );

describe('Slack messages from real diagnoses', () => {
  for (const cause of CAUSES) {
    it(`${cause}: fits Block Kit, names the cause and IP, offers the right buttons`, () => {
      const [finding, inspection] = INPUTS[cause];
      const d = diagnose(finding, inspection);
      expect(d.cause).toBe(cause);
      const m = renderReply({ type: 'diagnoses', diagnoses: [d] });
      expect(blockKitProblems(m)).toEqual([]);
      const title = cause === 'not_a_firewall_error' ? KIND_TITLES[finding.kind] : CAUSE_TITLES[cause];
      expect(m.text).toContain(title);
      if (finding.ip) expect(m.text).toContain(finding.ip);
      const ids = actionIds(m.blocks);
      expect(ids.includes('request_access')).toBe(diagnosisView(d).requestAccess !== null);
      expect(ids.includes('request_access')).toBe(d.registry !== null && d.fixes.some((x) => x.requestable));
      expect(ids.includes('show_rules')).toBe(d.registry !== null);
      expect(ids).toContain('learn_more');
    });
  }

  it('ip_not_allowed from the engine offers Request access with its /32 rule', () => {
    const d = diagnose(...INPUTS.ip_not_allowed);
    const m = renderReply({ type: 'diagnoses', diagnoses: [d] });
    const button = m.blocks
      .flatMap((b) => (b.type === 'actions' ? b.elements : []))
      .find((e) => e.action_id === 'request_access');
    expect(JSON.parse(button!.value!)).toMatchObject({ registryId: registry().id, rule: `${IP}/32`, ip: IP });
  });

  it.each(FINDING_KINDS)('finding kind %s without Azure facts renders within limits', (kind) => {
    const d = diagnose(f({ kind, ip: kind === 'firewall_denied' ? IP : null }), null);
    const m = renderReply({ type: 'diagnoses', diagnoses: [d] });
    expect(blockKitProblems(m)).toEqual([]);
  });
});
