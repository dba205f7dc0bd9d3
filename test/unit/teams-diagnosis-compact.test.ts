/**
 * Compact Teams diagnoses: for every cause, the first screen of a section is its title, its one-sentence summary and
 * the main actions; the evidence, the excerpt and the fixes are in a part hidden until Details shows it, the IP rules
 * in one hidden until Show rules shows it, each with its way back; every toggle names an element of the card, and
 * the card is valid for the Adaptive Cards SDK. A Details answer (`expanded`) shows everything with no toggle.
 */
import { describe, expect, it } from 'vitest';
import { renderReply } from '../../src/adapters/teams/cards/render.js';
import { diagnose } from '../../src/core/diagnose/index.js';
import { CAUSES } from '../../src/core/diagnosis.js';
import { finding, registry } from '../golden/teams/fixtures.js';
import { validateCard } from '../golden/teams/validate-card.js';
import { causeInputs } from '../support/cause-inputs.js';
import { walk } from '../support/diagnosis-words.js';

type Json = any;
const INPUTS = causeInputs({ finding, registry });

function section(cause: (typeof CAUSES)[number], expanded = false): { card: Json; items: Json[] } {
  const d = diagnose(...INPUTS[cause]);
  const card = renderReply({ type: 'diagnoses', diagnoses: [d], expanded }) as Json;
  return { card, items: card.body[0].items };
}

const toggles = (node: Json): Json[] =>
  walk(node)
    .filter((e) => e.type === 'ActionSet')
    .flatMap((s) => s.actions)
    .filter((a: Json) => a.type === 'Action.ToggleVisibility');

describe('Teams diagnoses are compact by default', () => {
  for (const cause of CAUSES) {
    it(`${cause}: title, summary and actions first; details and rules hidden behind their toggles`, () => {
      const { card, items } = section(cause);
      expect(validateCard(card)).toEqual([]);
      const d = diagnose(...INPUTS[cause]);
      expect(items[0]).toMatchObject({ type: 'TextBlock', weight: 'Bolder', size: 'Medium' });
      expect(items[1]).toMatchObject({ type: 'TextBlock' });
      expect(items[2].type).toBe('ActionSet');
      const titles = items[2].actions.map((a: Json) => a.title);
      expect(titles).toContain('Learn more');
      expect(titles.at(-1)).toBe('Details');
      expect(titles.includes('Request access')).toBe(d.fixes.some((f) => f.requestable) && d.registry !== null);
      expect(titles.includes('Show rules')).toBe(d.registry !== null);
      // Everything after the first screen is hidden.
      const rest = items.slice(3);
      expect(rest.length).toBeGreaterThan(0);
      for (const part of rest) expect(part).toMatchObject({ type: 'Container', isVisible: false });
      const ids = rest.map((p: Json) => p.id);
      expect(ids).toEqual(d.registry ? ['d0-details', 'd0-rules'] : ['d0-details']);
      // Evidence and fixes only in the hidden details; the rules only in the hidden rules part.
      const details = rest[0];
      expect(walk(details).some((e) => e.type === 'FactSet')).toBe(true);
      expect(walk(items.slice(0, 3)).some((e) => e.type === 'FactSet' || e.type === 'RichTextBlock')).toBe(false);
      if (d.fixes.length > 0) expect(JSON.stringify(details)).toContain(d.fixes[0]!.title.slice(0, 20));
      if (d.registry) expect(JSON.stringify(rest[1])).toContain(`Firewall of ${d.registry.name}`);
      // Every toggle names a part of this card; each part has its way back.
      for (const t of toggles(card)) for (const id of t.targetElements) expect(ids).toContain(id);
      expect(toggles(details).map((t) => [t.title, t.targetElements])).toEqual([['Hide details', ['d0-details']]]);
      if (d.registry)
        expect(toggles(rest[1]).map((t) => [t.title, t.targetElements])).toEqual([['Hide rules', ['d0-rules']]]);
    });
  }

  it('several diagnoses: each section has its own parts, with ids unique in the card', () => {
    const ds = (['ip_not_allowed', 'azure_service_ip', 'registry_not_found'] as const).map((c) =>
      diagnose(...INPUTS[c]),
    );
    const card = renderReply({ type: 'diagnoses', diagnoses: ds }) as Json;
    expect(validateCard(card)).toEqual([]);
    const ids = walk(card)
      .filter((e) => typeof e.id === 'string')
      .map((e) => e.id);
    expect(ids).toEqual(['d0-details', 'd0-rules', 'd1-details', 'd1-rules', 'd2-details']);
    for (const t of toggles(card)) for (const id of t.targetElements) expect(ids).toContain(id);
  });

  it('expanded (the answer to Details): the evidence and fixes are shown, with no Details toggle', () => {
    const { card, items } = section('ip_not_allowed', true);
    expect(validateCard(card)).toEqual([]);
    expect(items.some((e: Json) => e.type === 'FactSet')).toBe(true);
    expect(toggles(card).map((t) => t.title)).toEqual(['Show rules', 'Hide rules']);
  });
});
