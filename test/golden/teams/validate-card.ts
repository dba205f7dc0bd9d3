/**
 * Validates an Adaptive Card with the `adaptivecards` package (the renderer Microsoft ships), under Node without a
 * DOM: parse (unknown element types, invalid property values), validateProperties (missing required properties,
 * duplicate ids, version), and a round trip through toJSON that catches properties the schema does not know (the
 * parser drops them silently). Returns every problem as text; [] means valid.
 */
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';

type AC = typeof import('adaptivecards');
// The package's lib/ is extensionless ESM that Node cannot load; dist/ is the UMD build of the same code.
const AdaptiveCards = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as AC;

/** Host extensions Teams reads that the generic schema does not define. */
const HOST_EXTENSIONS = ['msteams'];

export function validateCard(json: unknown): string[] {
  const problems: string[] = [];
  const card = new AdaptiveCards.AdaptiveCard();
  const context = new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_5);
  card.parse(json as object, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of card.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);
  const expected = JSON.parse(JSON.stringify(json)) as Record<string, unknown>;
  for (const k of HOST_EXTENSIONS) delete expected[k];
  const roundTrip = card.toJSON(context);
  if (!isDeepStrictEqual(roundTrip, expected))
    problems.push(`round trip differs: ${firstDifference(expected, roundTrip)}`);
  return problems;
}

function firstDifference(a: unknown, b: unknown, path = '$'): string {
  if (isDeepStrictEqual(a, b)) return '';
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
  }
  return `${path}: expected ${JSON.stringify(a)?.slice(0, 120)}, parsed ${JSON.stringify(b)?.slice(0, 120)}`;
}
