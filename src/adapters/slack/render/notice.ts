/** `help` and `notice` Replies. */
import { ACR_COMMAND, ACTION_IDS } from '../settings.js';
import { actions, context, header, section, valueButton, type Block, type SlackMessage } from './blocks.js';
import { clip, prose } from './escape.js';

const TONE_EMOJI = { info: ':information_source:', warning: ':warning:', error: ':x:' } as const;

/** What the Try again button carries: the words to read again (Slack signs the click; the handler re-validates). */
export interface RetryValue {
  text: string;
  addressed: boolean;
}

export function renderHelp(): SlackMessage {
  const blocks: Block[] = [
    header('ACR access helper'),
    section(
      [
        "Paste an Azure Container Registry error in a channel I am in (or send it to me directly) and I explain it from the registry's live firewall.",
        '',
        '*Commands* (mention me, DM me, or use the slash command):',
        `• \`@acr <registry>\` or \`${ACR_COMMAND} <registry>\`: the registry's firewall and IP rules`,
        `• \`@acr <registry> <ip>\` or \`${ACR_COMMAND} <registry> <ip>\`: whether that IP is allowed, and why`,
        `• \`@acr help\` or \`${ACR_COMMAND} help\`: this message`,
      ].join('\n'),
      'help',
    ),
    context(
      "Request access asks the registry's approvers for the smallest rule that fixes it; nothing changes until they approve.",
      'help_note',
    ),
  ];
  return {
    text: 'ACR access helper: paste an ACR error, or try `@acr <registry>`, `@acr <registry> <ip>`, `@acr help`.',
    blocks,
  };
}

export function renderNotice(
  notice: { tone: 'info' | 'warning' | 'error'; title: string; text: string; retryable?: boolean },
  retry?: RetryValue,
): SlackMessage {
  const blocks: Block[] = [
    section(
      `${TONE_EMOJI[notice.tone]} *${clip(prose(notice.title), 300)}*\n${clip(prose(notice.text), 2500)}`,
      'notice',
    ),
  ];
  if (notice.retryable) {
    const button = retry ? valueButton(ACTION_IDS.retry, 'Try again', JSON.stringify(retry)) : null;
    const row = actions([button], 'notice_actions');
    blocks.push(row ?? context('This may work if you try again in a minute.', 'notice_retry'));
  }
  return { text: clip(prose(`${notice.title}: ${notice.text}`), 3000), blocks };
}
