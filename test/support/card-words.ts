/**
 * The words a person reads on a request card, from either platform's wire payload: the Slack message (Block Kit as
 * chat.postMessage / chat.update carry it) and the Teams Adaptive Card (as an activity's attachment carries it).
 * Title, status line, facts (label and words, in order), warnings and button labels, with each platform's markup
 * neutralisation undone, so the two can be compared as equal.
 */

// Wire payloads are JSON read loosely here; the assertions are on the words that come out.
type Json = any;

export interface CardWords {
  title: string;
  status: string[];
  facts: Array<[string, string]>;
  warnings: string[];
  buttons: string[];
  /** What the card says about itself under the facts (a shared card: who its buttons are for; a snapshot: what it is). */
  note: string | null;
}

export function unSlack(s: string): string {
  return s
    .replace(/<!date\^\d+\^[^|]*\|([^>]*)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** A Slack request message (`{ text, blocks }`). */
export function slackWords(m: Json): CardWords {
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
  const note = block('request_note') ? unSlack(block('request_note').elements[0].text) : null;
  return { title: m.blocks[0].text.text, status, facts, warnings, buttons, note };
}

/** A Teams request card (the Adaptive Card itself). */
export function teamsWords(c: Json): CardWords {
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
  // The note is the last small, subtle line of the body.
  const small = c.body.filter((b: Json) => b.type === 'TextBlock' && b.size === 'Small' && b.isSubtle);
  return { title, status: [label, ...rest], facts, warnings, buttons, note: small.at(-1)?.text ?? null };
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
  '\uFF40': '`',
};
export const plain = (s: string): string =>
  s.replace(/[\u2217\uFF3F\uFF3B\uFF3D\u2039\u203A\u223C\u2223\u29F5\uFF06\uFF40]/g, (c) => LOOKALIKE[c]!);

/** The words with both platforms' markup and warning signs taken off. */
export function normalise(w: CardWords): CardWords {
  return {
    title: plain(w.title),
    status: w.status.map(plain),
    facts: w.facts.map(([l, t]) => [plain(l), plain(t)]),
    buttons: w.buttons.map(plain),
    note: w.note === null ? null : plain(w.note),
    warnings: w.warnings.map(plain).map((x) =>
      x
        .replace(/^:warning: /, '')
        .replace(/^\u26A0 /, '')
        .replace(/ · \u26A0 /g, ' · '),
    ),
  };
}
