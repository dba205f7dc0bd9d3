/** `help` and `notice` Replies. */
import { ACR_COMMAND, ACTION_IDS } from '../settings.js';
import { DIAGNOSIS_WORDS } from '../../../core/diagnose/words.js';
import { FIREWALL_DOCS, HELP_WORDS as W } from '../../../core/help-words.js';
import { actions, context, header, section, urlButton, valueButton, type Block, type SlackMessage } from './blocks.js';
import { clip, prose } from './escape.js';

const TONE_EMOJI = { info: ':information_source:', warning: ':warning:', error: ':x:' } as const;

/** What the Try again button carries: the words to read again (Slack signs the click; the handler re-validates). */
export interface RetryValue {
  text: string;
  addressed: boolean;
}

export function renderHelp(): SlackMessage {
  const slash = (usage: string) => `\`@acr ${prose(usage)}\` or \`${ACR_COMMAND} ${prose(usage)}\``;
  const blocks: Block[] = [
    header(W.title),
    section(
      [
        prose(W.intro),
        '',
        `*${prose(W.commandsHeading)}*`,
        ...W.commands.map((c) => `• ${slash(c.usage)}: ${prose(c.what)}`),
      ].join('\n'),
      'help',
    ),
    context(prose(W.note), 'help_note'),
  ];
  const row = actions([urlButton(ACTION_IDS.learnMore, DIAGNOSIS_WORDS.learnMore, FIREWALL_DOCS)], 'help_actions');
  if (row) blocks.push(row);
  return { text: prose(W.fallback), blocks };
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
