/**
 * `requests` Reply (`@bot requests`): one compact entry per request, pending ones first as the use case orders them:
 * its status line, the list facts, the reason and the warnings, in the view's words (as Teams shows them). The list is
 * a snapshot: it says so and carries no buttons; each request's own card stays current and has them. Entries are
 * kept while the message fits Slack's limits; the rest are counted.
 */
import { LIST_FACTS } from '../../../core/approvals/request-words.js';
import type { RequestView } from '../../../core/approval-views.js';
import { context, fitGroups, header, section, type Block, type SlackMessage } from './blocks.js';
import { clip, prose } from './escape.js';
import { flagsText } from './flags.js';

function entry(view: RequestView, i: number): Block[] {
  const r = view.request;
  const facts = LIST_FACTS.flatMap((label) => {
    const f = view.facts.find((x) => x.label === label);
    return f ? [`${prose(f.label)}: ${prose(f.text.slice(0, 300))}`] : [];
  });
  const lines = [`*${prose(view.summary)}*`, facts.join(' · ')];
  if (view.status.detail) lines.push(clip(prose(view.status.detail), 300));
  if (r.reason.trim() !== '') lines.push(`_${clip(prose(r.reason.slice(0, 400).replace(/\s+/g, ' ').trim()), 200)}_`);
  if (view.warnings) lines.push(flagsText(view.warnings.items, 300));
  return [section(clip(lines.join('\n'), 3000), `r${i}`)];
}

export function renderRequests(title: string, note: string, views: RequestView[]): SlackMessage {
  const head: Block[] = [
    header(title.trim() === '' ? 'Access requests' : title),
    context(clip(prose(note), 400), 'snapshot'),
  ];
  if (views.length === 0) {
    return { text: clip(prose(`${title}: none`), 3000), blocks: [...head, section('No requests to show.', 'none')] };
  }
  const blocks = fitGroups(
    head,
    views.map((v, i) => entry(v, i)),
    (omitted) =>
      context(
        `${omitted} more ${omitted === 1 ? 'request' : 'requests'} not shown: run \`acr-access requests\` for all of them.`,
        'omitted',
      ),
  );
  const pending = views.filter((v) => v.request.status === 'pending').length;
  return {
    text: clip(
      prose(`${title}: ${views.length} ${views.length === 1 ? 'request' : 'requests'}, ${pending} pending`),
      3000,
    ),
    blocks,
  };
}
