/**
 * The words a diagnosis shows on each platform, read back from the rendered Teams card and Slack message, so tests
 * can compare them: title, summary, facts, fix titles and the main buttons. Teams neutralises markup with look-alike
 * characters and Slack with entities; both are undone here, so only the words are compared.
 */
import { plain, unSlack } from './card-words.js';

export interface DiagnosisWords {
  title: string;
  summary: string;
  facts: Array<[string, string]>;
  fixes: string[];
  buttons: string[];
}

type Json = any;

/** Every element of a card, depth first, containers before their items. */
export function walk(node: Json, out: Json[] = []): Json[] {
  if (Array.isArray(node)) for (const n of node) walk(n, out);
  else if (node && typeof node === 'object') {
    if (typeof node.type === 'string') out.push(node);
    for (const key of ['body', 'items', 'columns']) if (node[key]) walk(node[key], out);
  }
  return out;
}

/** The words of the first diagnosis on a Teams card. */
export function teamsWords(card: Json): DiagnosisWords {
  const all = walk(card);
  const titleAt = all.findIndex((e) => e.type === 'TextBlock' && e.size === 'Medium' && e.weight === 'Bolder');
  const summary = all.slice(titleAt + 1).find((e) => e.type === 'TextBlock');
  const facts = all.find((e) => e.type === 'FactSet')?.facts ?? [];
  const fixes = all
    .filter((e) => e.type === 'TextBlock' && /^\d+\u200B\. /.test(e.text))
    .map((e) => e.text.replace(/^\d+\u200B\. /, ''));
  const row = all.find((e) => e.type === 'ActionSet');
  return {
    title: plain(all[titleAt].text),
    summary: plain(summary.text),
    facts: facts.map((f: Json) => [plain(f.title), plain(f.value)]),
    fixes: fixes.map(plain),
    buttons: (row?.actions ?? []).map((a: Json) => a.title),
  };
}

/**
 * The words of the first diagnosis in Slack: title and buttons from the message, facts and fixes from `details`
 * (the message itself when it shows them, else what its Details button opens).
 */
export function slackWords(message: Json, details: Json = message): DiagnosisWords {
  const block = (m: Json, id: string) => m.blocks.find((b: Json) => b.block_id === id);
  const [head, ...rest] = unSlack(block(message, 'd0').text.text).split('\n');
  const facts = details.blocks
    .filter((b: Json) => typeof b.block_id === 'string' && b.block_id.startsWith('d0_facts'))
    .flatMap((b: Json) => b.fields)
    .map((f: Json) => {
      const [label, ...value] = unSlack(f.text).split('\n');
      return [label!.replace(/^\*(.*)\*$/, '$1'), value.join('\n')];
    });
  const fixText = block(details, 'd0_fixes')?.text.text ?? '';
  const fixes = [...unSlack(fixText).matchAll(/^\d+\. \*(.*?)\* /gm)].map((m) => m[1]!);
  return {
    title: head!.replace(/^:[a-z_]+: \*(.*)\*$/, '$1'),
    summary: rest.join('\n'),
    facts,
    fixes,
    buttons: (block(message, 'd0_actions')?.elements ?? []).map((e: Json) => e.text.text),
  };
}
