/** Rule-quota hygiene in Block Kit: core's words laid out, and one Free N slots button per actions block. */
import type { HygieneView } from '../../../core/quota/view.js';
import { actions, context, section, valueButton, type Block } from './blocks.js';
import { clip, codeBlock, prose } from './escape.js';

/** Characters of listed rules per section: the rules themselves stay on the message too. */
const SECTION_LINES = 1200;

export function hygieneBlocks(h: HygieneView, idPrefix: string): Block[] {
  const blocks: Block[] = [section(clip(`*${prose(h.title)}*\n${prose(h.summary)}`, 1500), `${idPrefix}_quota`)];
  h.sections.forEach((s, i) => {
    const lines = clip(s.lines.join('\n'), SECTION_LINES);
    blocks.push(section(`*${prose(s.title)}*\n${codeBlock(lines)}`, `${idPrefix}_quota_${i}`));
  });
  if (h.note) blocks.push(context(clip(prose(h.note), 600), `${idPrefix}_quota_note`));
  return [...blocks, ...hygieneOffers(h, idPrefix)];
}

/** The Free N slots buttons alone, one per actions block: what a compact diagnosis keeps on its first screen. */
export function hygieneOffers(h: HygieneView, idPrefix: string): Block[] {
  const rows: Block[] = [];
  h.offers.forEach((o, i) => {
    const row = actions(
      [valueButton(o.verb, o.label, JSON.stringify(o.data), o.primary ? 'primary' : undefined)],
      `${idPrefix}_quota_offer_${i}`,
    );
    if (row) rows.push(row);
  });
  return rows;
}
