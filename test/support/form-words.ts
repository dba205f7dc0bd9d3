/**
 * The words a person reads on a form, from either platform's wire payload: the Slack modal (as views.open carries
 * it) and the Teams Adaptive Card (as an invoke response carries it). Heading, intro, facts, warnings, each input
 * (label, placeholder, hint, required, choices, a checkbox's words) and the submit button, with each platform's
 * markup neutralisation undone, so the two can be compared as equal.
 */
import { plain, unSlack } from './card-words.js';

// Wire payloads are JSON read loosely here; the assertions are on the words that come out.
type Json = any;

export interface FieldWords {
  label: string;
  placeholder: string | null;
  hint: string | null;
  required: boolean;
  choices: string[];
  option: string[] | null;
}

export interface FormWords {
  heading: string;
  intro: string;
  facts: Array<[string, string]>;
  warnings: string[];
  fields: FieldWords[];
  submit: string;
}

const text = (s: string): string => plain(unSlack(s));

export function slackFormWords(v: Json): FormWords {
  const [heading, ...intro] = text(v.blocks[0].text.text).split('\n');
  const facts: Array<[string, string]> = v.blocks
    .filter((b: Json) => typeof b.block_id === 'string' && b.block_id.startsWith('form_facts'))
    .flatMap((b: Json) => b.fields)
    .map((f: Json) => {
      const [label, ...rest] = text(f.text).split('\n');
      return [label!.replace(/^\*(.*)\*$/, '$1'), rest.join('\n')];
    });
  const flags = v.blocks.find((b: Json) => b.block_id === 'form_flags');
  const warnings = flags
    ? (([h, items]: string[]) => [h!.replace(/^\*(.*)\*$/, '$1'), ...items!.replace(/^:warning: /, '').split(' · ')])(
        text(flags.elements[0].text).split('\n'),
      )
    : [];
  const fields = v.blocks
    .filter((b: Json) => b.type === 'input')
    .map(
      (b: Json): FieldWords => ({
        label: text(b.label.text),
        placeholder: b.element.placeholder ? text(b.element.placeholder.text) : null,
        hint: b.hint ? text(b.hint.text) : null,
        required: b.optional !== true,
        choices: b.element.type === 'static_select' ? b.element.options.map((o: Json) => text(o.text.text)) : [],
        option:
          b.element.type === 'checkboxes'
            ? [text(b.element.options[0].text.text), text(b.element.options[0].description?.text ?? '')]
            : null,
      }),
    );
  return {
    heading: heading!.replace(/^\*(.*)\*$/, '$1'),
    intro: intro.join('\n'),
    facts,
    warnings,
    fields,
    submit: text(v.submit.text),
  };
}

const isHint = (b: Json): boolean => b?.type === 'TextBlock' && b.size === 'Small' && b.isSubtle === true;

export function teamsFormWords(c: Json): FormWords {
  const facts: Array<[string, string]> = (c.body.find((b: Json) => b.type === 'FactSet')?.facts ?? []).map(
    (f: Json) => [text(f.title), text(f.value)],
  );
  const box = c.body.find((b: Json) => b.type === 'Container' && b.style === 'warning');
  const warnings = box ? box.items.map((i: Json) => text(i.text).replace(/^\u26A0 /, '')) : [];
  const fields: FieldWords[] = [];
  const body: Json[] = c.body;
  body.forEach((b, i) => {
    // Input.Time is the second half of a start Teams asks for as a day and a time (checked on its own).
    if (typeof b.type !== 'string' || !b.type.startsWith('Input.') || b.type === 'Input.Time') return;
    let next = i + 1;
    if (body[next]?.type === 'Input.Time') next++;
    let option: string[] | null = null;
    if (b.type === 'Input.Toggle') {
      option = [text(b.title), isHint(body[next]) ? text(body[next].text) : ''];
      if (isHint(body[next])) next++;
    }
    fields.push({
      label: text(b.label),
      placeholder: b.placeholder ? text(b.placeholder) : null,
      hint: isHint(body[next]) ? text(body[next].text) : null,
      required: b.isRequired === true,
      choices: b.type === 'Input.ChoiceSet' ? b.choices.map((x: Json) => text(x.title)) : [],
      option,
    });
  });
  return {
    heading: text(body[0].text),
    intro: text(body[1].text),
    facts,
    warnings,
    fields,
    submit: text(c.actions[0].title),
  };
}
