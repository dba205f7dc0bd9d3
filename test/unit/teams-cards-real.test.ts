/**
 * Cards from the real diagnosis engine (src/core/diagnose): one input per cause, run through diagnose(), rendered,
 * and validated with the adaptivecards package. Complements the golden files (built from fixtures) by proving the
 * renderer copes with what the engine actually produces.
 */
import { describe, expect, it } from 'vitest';
import { renderReply } from '../../src/adapters/teams/cards/render.js';
import { diagnose } from '../../src/core/diagnose/index.js';
import { CAUSES } from '../../src/core/diagnosis.js';
import { finding as baseFinding, registry } from '../golden/teams/fixtures.js';
import { causeInputs } from '../support/cause-inputs.js';
import { validateCard } from '../golden/teams/validate-card.js';

const INPUTS = causeInputs({ finding: baseFinding, registry });

describe('Teams cards from real diagnoses', () => {
  for (const cause of CAUSES) {
    it(`${cause}: the engine's diagnosis renders as a valid card with its cause and actions`, () => {
      const [finding, inspection] = INPUTS[cause];
      const d = diagnose(finding, inspection);
      expect(d.cause).toBe(cause);
      const card = renderReply({ type: 'diagnoses', diagnoses: [d] });
      expect(validateCard(card)).toEqual([]);
      const json = JSON.stringify(card);
      if (finding.ip) expect(json).toContain(finding.ip);
      expect(json.includes('"verb":"request_access"')).toBe(d.registry !== null && d.fixes.some((x) => x.requestable));
      expect(json.includes('"title":"Show rules","targetElements":["d0-rules"]')).toBe(d.registry !== null);
      expect(json).toContain('"title":"Details","targetElements":["d0-details"]');
      expect(json).toContain('"title":"Learn more"');
    });
  }
});
