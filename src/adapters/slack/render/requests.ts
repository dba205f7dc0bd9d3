/**
 * `requests` Reply (`@bot requests`): one compact entry per request, pending ones first as the use case orders them,
 * each with the buttons its view offers (same values as on the request card). Entries are kept while the message
 * fits Slack's limits; the rest are counted.
 */
import type { RequestView } from '../../../core/approval-views.js';
import { actions, context, fitGroups, header, section, type Block, type SlackMessage } from './blocks.js';
import { clip, code, prose } from './escape.js';
import { STATUS, durationText, flagsText } from './approval-words.js';
import { personName, requestButtons } from './request.js';

function entry(view: RequestView, i: number): Block[] {
  const r = view.request;
  const s = STATUS[r.status];
  const lines = [
    `${s.emoji} ${code(r.rule)} on *${prose(r.registry.name)}* · ${s.label}`,
    `${personName(r.requester)} · ${durationText(r)} · ${r.approvals.length} of ${r.requiredApprovals} approvals${r.breakGlass ? ' · :rotating_light: break-glass' : ''} · ${code(r.id)}`,
  ];
  if (r.reason.trim() !== '') lines.push(`_${clip(prose(r.reason.slice(0, 400).replace(/\s+/g, ' ').trim()), 200)}_`);
  if (view.banner) lines.push(clip(prose(view.banner), 200));
  if (view.flags.length > 0) lines.push(flagsText(view.flags, 300));
  const blocks: Block[] = [section(lines.join('\n'), `r${i}`)];
  const row = actions(requestButtons(view), `r${i}_actions`);
  if (row) blocks.push(row);
  return blocks;
}

export function renderRequests(title: string, views: RequestView[]): SlackMessage {
  const head: Block[] = [header(title.trim() === '' ? 'Access requests' : title)];
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
