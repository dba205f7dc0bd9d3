/**
 * The Block Kit subset the renderer emits, with Slack's limits (from @slack/types 3.x JSDoc, shipped with Bolt 5.1;
 * docs/teams-and-slack.md, "Block Kit limits") enforced by construction and checked again by `blockKitProblems` before
 * anything is posted.
 */
import { clip, ELLIPSIS, plainText } from './escape.js';

export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  header: 150,
  contextElements: 10,
  actionsElements: 25,
  blockId: 255,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  actionId: 255,
  /** Top-level `text` may be 40k; a notification preview needs far less. */
  fallbackText: 3000,
  /**
   * Slack refuses messages whose blocks are too long in aggregate (`msg_blocks_too_long`, seen at ~13.2k characters,
   * slackapi/bolt-js#2509). We budget the JSON size of the blocks below that.
   */
  totalBlocksJson: 12_000,
} as const;

export interface Text {
  type: 'mrkdwn' | 'plain_text';
  text: string;
  emoji?: boolean;
}
export interface Button {
  type: 'button';
  action_id: string;
  text: { type: 'plain_text'; text: string; emoji?: boolean };
  value?: string;
  url?: string;
  style?: 'primary' | 'danger';
}
export interface SectionBlock {
  type: 'section';
  block_id?: string;
  text?: Text;
  fields?: Text[];
}
export interface HeaderBlock {
  type: 'header';
  block_id?: string;
  text: { type: 'plain_text'; text: string; emoji?: boolean };
}
export interface ContextBlock {
  type: 'context';
  block_id?: string;
  elements: Text[];
}
export interface DividerBlock {
  type: 'divider';
  block_id?: string;
}
export interface ActionsBlock {
  type: 'actions';
  block_id?: string;
  elements: Button[];
}
export type Block = SectionBlock | HeaderBlock | ContextBlock | DividerBlock | ActionsBlock;

export interface SlackMessage {
  /** Fallback for notifications, screen readers and clients without Block Kit (mrkdwn, escaped). */
  text: string;
  blocks: Block[];
}

export function mrkdwn(text: string, max: number = LIMITS.sectionText): Text {
  return { type: 'mrkdwn', text: clip(text === '' ? ' ' : text, max) };
}

export function section(text: string, blockId?: string): SectionBlock {
  return { type: 'section', ...(blockId ? { block_id: blockId } : {}), text: mrkdwn(text) };
}

/** Fields as label/value pairs, ten per section (Slack's maximum), each clipped to the field limit. */
export function fieldSections(fields: Array<[label: string, value: string]>, blockIdPrefix: string): SectionBlock[] {
  const out: SectionBlock[] = [];
  for (let i = 0; i < fields.length; i += LIMITS.fields) {
    out.push({
      type: 'section',
      block_id: `${blockIdPrefix}${out.length === 0 ? '' : `_${out.length}`}`,
      fields: fields
        .slice(i, i + LIMITS.fields)
        .map(([label, value]) => mrkdwn(`*${label}*\n${value}`, LIMITS.fieldText)),
    });
  }
  return out;
}

/** Header text is plain (no mrkdwn); what came from people or Azure is made inert by `plainText`. */
export function header(text: string): HeaderBlock {
  const safe = plainText(text);
  const t = safe.length > LIMITS.header ? `${safe.slice(0, LIMITS.header - 1)}${ELLIPSIS}` : safe;
  return { type: 'header', text: { type: 'plain_text', text: t, emoji: true } };
}

export function context(text: string, blockId?: string): ContextBlock {
  return { type: 'context', ...(blockId ? { block_id: blockId } : {}), elements: [mrkdwn(text)] };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

/** A button whose value fits, or null (a button with a cut JSON value would be worse than none). */
export function valueButton(actionId: string, label: string, value: string, style?: 'primary'): Button | null {
  if (value.length > LIMITS.buttonValue) return null;
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: label },
    value,
    ...(style ? { style } : {}),
  };
}

export function urlButton(actionId: string, label: string, url: string): Button | null {
  if (!/^https:\/\/\S+$/i.test(url) || url.length > LIMITS.buttonUrl) return null;
  return { type: 'button', action_id: actionId, text: { type: 'plain_text', text: label }, url };
}

export function actions(buttons: Array<Button | null>, blockId: string): ActionsBlock | null {
  const elements = buttons.filter((b): b is Button => b !== null).slice(0, LIMITS.actionsElements);
  return elements.length > 0 ? { type: 'actions', block_id: blockId, elements } : null;
}

function textProblems(t: Text, max: number, where: string): string[] {
  const p: string[] = [];
  if (t.text.length === 0) p.push(`${where}: empty text`);
  if (t.text.length > max) p.push(`${where}: text ${t.text.length} > ${max}`);
  return p;
}

/** Every Block Kit limit this message breaks (empty when Slack will accept it). */
export function blockKitProblems(message: SlackMessage): string[] {
  const p: string[] = [];
  const { blocks } = message;
  if (message.text.length === 0 || message.text.length > LIMITS.fallbackText)
    p.push(`text length ${message.text.length}`);
  if (blocks.length > LIMITS.blocks) p.push(`${blocks.length} blocks > ${LIMITS.blocks}`);
  const json = JSON.stringify(blocks).length;
  if (json > LIMITS.totalBlocksJson) p.push(`blocks JSON ${json} > ${LIMITS.totalBlocksJson}`);
  const ids = new Set<string>();
  blocks.forEach((b, i) => {
    const where = `block ${i} (${b.type})`;
    if (b.block_id !== undefined) {
      if (b.block_id.length > LIMITS.blockId) p.push(`${where}: block_id too long`);
      if (ids.has(b.block_id)) p.push(`${where}: duplicate block_id ${b.block_id}`);
      ids.add(b.block_id);
    }
    switch (b.type) {
      case 'section':
        if (!b.text && !b.fields) p.push(`${where}: neither text nor fields`);
        if (b.text) p.push(...textProblems(b.text, LIMITS.sectionText, where));
        if (b.fields) {
          if (b.fields.length > LIMITS.fields) p.push(`${where}: ${b.fields.length} fields`);
          for (const [j, f] of b.fields.entries()) p.push(...textProblems(f, LIMITS.fieldText, `${where} field ${j}`));
        }
        break;
      case 'header':
        p.push(...textProblems(b.text, LIMITS.header, where));
        break;
      case 'context':
        if (b.elements.length === 0 || b.elements.length > LIMITS.contextElements)
          p.push(`${where}: ${b.elements.length} elements`);
        for (const [j, e] of b.elements.entries())
          p.push(...textProblems(e, LIMITS.sectionText, `${where} element ${j}`));
        break;
      case 'actions': {
        if (b.elements.length === 0 || b.elements.length > LIMITS.actionsElements)
          p.push(`${where}: ${b.elements.length} elements`);
        const actionIds = new Set<string>();
        for (const e of b.elements) {
          if (e.action_id.length === 0 || e.action_id.length > LIMITS.actionId) p.push(`${where}: action_id length`);
          if (actionIds.has(e.action_id)) p.push(`${where}: duplicate action_id ${e.action_id}`);
          actionIds.add(e.action_id);
          if (e.text.text.length === 0 || e.text.text.length > LIMITS.buttonText)
            p.push(`${where}: button text length`);
          if (e.value !== undefined && e.value.length > LIMITS.buttonValue)
            p.push(`${where}: button value ${e.value.length}`);
          if (e.url !== undefined && e.url.length > LIMITS.buttonUrl) p.push(`${where}: button url ${e.url.length}`);
        }
        break;
      }
      case 'divider':
        break;
    }
  });
  return p;
}

/**
 * Keep whole groups (one per diagnosis, say) while the message stays within the block count and the JSON budget,
 * reserving room for `trailer(omitted)`, which says what was left out. The first group is always kept: groups are
 * built to fit on their own.
 */
export function fitGroups(head: Block[], groups: Block[][], trailer: (omitted: number) => Block): Block[] {
  const out = [...head];
  const reserve = JSON.stringify(trailer(groups.length)).length + 1;
  let size = JSON.stringify(out).length;
  let kept = 0;
  for (const g of groups) {
    const gSize = JSON.stringify(g).length + 1;
    const fits = out.length + g.length <= LIMITS.blocks - 1 && size + gSize <= LIMITS.totalBlocksJson - reserve;
    if (!fits && kept > 0) break;
    out.push(...g);
    size += gSize;
    kept += 1;
  }
  if (kept < groups.length) out.push(trailer(groups.length - kept));
  return out;
}
