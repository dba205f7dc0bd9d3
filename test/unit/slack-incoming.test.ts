import { describe, expect, it } from 'vitest';
import {
  conversationOf,
  ignoreReason,
  isAddressed,
  messageText,
  onceKeyOf,
  preformattedText,
  stripBotMention,
} from '../../src/adapters/slack/incoming.js';

const SELF = { userId: 'UBOT', botId: 'BBOT' };

/** What Slack's composer sends for "see this:" followed by a code block holding a denied error with a link. */
const RICH = [
  {
    type: 'rich_text',
    block_id: 'x1',
    elements: [
      {
        type: 'rich_text_section',
        elements: [
          { type: 'text', text: 'see this ' },
          { type: 'user', user_id: 'U0OTHER' },
        ],
      },
      {
        type: 'rich_text_preformatted',
        border: 0,
        elements: [
          { type: 'text', text: 'Error response from daemon: Get "' },
          { type: 'link', url: 'https://myregistry.azurecr.io/v2/' },
          { type: 'text', text: "\": denied: client with IP '198.51.100.23' is not allowed access. Refer " },
          { type: 'link', url: 'https://aka.ms/acr/firewall', text: 'https://aka.ms/acr/firewall' },
          { type: 'text', text: ' to grant access. <&> ' },
          { type: 'emoji', name: 'fire', unicode: '1f525' },
          { type: 'user', user_id: 'U0X' },
          { type: 'channel', channel_id: 'C0X' },
          { type: 'broadcast', range: 'here' },
        ],
      },
      { type: 'rich_text_preformatted', elements: [{ type: 'text', text: 'second block' }] },
    ],
  },
];

describe('text the handler reads', () => {
  it('concatenates rich_text_preformatted elements faithfully', () => {
    expect(preformattedText(RICH)).toBe(
      'Error response from daemon: Get "https://myregistry.azurecr.io/v2/": denied: client with IP \'198.51.100.23\' is not allowed access. Refer https://aka.ms/acr/firewall to grant access. <&> :fire:<@U0X><#C0X><!here>\nsecond block',
    );
  });
  it('falls back to text, unchanged apart from our mention', () => {
    const text = '<@UBOT> myregistry 198.51.100.23 &lt;x&gt; <https://a.azurecr.io|a.azurecr.io>';
    expect(messageText({ type: 'app_mention', text }, 'UBOT')).toBe(
      'myregistry 198.51.100.23 &lt;x&gt; <https://a.azurecr.io|a.azurecr.io>',
    );
    expect(stripBotMention('<@UBOT|acr> help', 'UBOT')).toBe('help');
    expect(stripBotMention('hi <@UOTHER>', 'UBOT')).toBe('hi <@UOTHER>');
    expect(
      messageText(
        {
          type: 'message',
          text: 'plain',
          blocks: [
            {
              type: 'rich_text',
              elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'plain' }] }],
            },
          ],
        },
        'UBOT',
      ),
    ).toBe('plain');
  });
  it('knows when the bot is addressed', () => {
    expect(isAddressed({ type: 'app_mention' }, 'UBOT')).toBe(true);
    expect(isAddressed({ type: 'message', channel_type: 'im', text: 'myreg' }, 'UBOT')).toBe(true);
    expect(isAddressed({ type: 'message', channel_type: 'channel', text: 'hey <@UBOT> help' }, 'UBOT')).toBe(true);
    expect(isAddressed({ type: 'message', channel_type: 'channel', text: 'myreg' }, 'UBOT')).toBe(false);
  });

  it('reads the same mention the same way every time, and follows a change of bot user id', () => {
    const mentioned = { type: 'message', channel_type: 'channel', text: 'hey <@UBOT> myreg' };
    for (let i = 0; i < 3; i++) {
      expect(isAddressed(mentioned, 'UBOT')).toBe(true);
      expect(stripBotMention(mentioned.text, 'UBOT')).toBe('hey myreg');
    }
    expect(isAddressed(mentioned, 'UOTHER')).toBe(false);
    expect(isAddressed({ ...mentioned, text: 'hey <@UOTHER>' }, 'UOTHER')).toBe(true);
    expect(isAddressed(mentioned, 'UBOT')).toBe(true);
  });
});

describe('which events are user posts', () => {
  const post = { type: 'message', user: 'U1', channel: 'C1', ts: '1.1' };
  it('reads plain posts, file shares and thread broadcasts', () => {
    expect(ignoreReason(post, SELF)).toBeNull();
    expect(ignoreReason({ ...post, subtype: 'file_share' }, SELF)).toBeNull();
    expect(ignoreReason({ ...post, subtype: 'thread_broadcast' }, SELF)).toBeNull();
  });
  it('ignores bots (ours included), edits, joins and hidden events', () => {
    expect(ignoreReason({ ...post, bot_id: 'B9' }, SELF)).toBe('bot message');
    expect(ignoreReason({ ...post, subtype: 'bot_message' }, SELF)).toMatch(/subtype/);
    expect(ignoreReason({ ...post, user: 'UBOT' }, SELF)).toBe('own message');
    expect(ignoreReason({ ...post, subtype: 'message_changed' }, SELF)).toMatch(/subtype/);
    expect(ignoreReason({ ...post, subtype: 'channel_join' }, SELF)).toMatch(/subtype/);
    expect(ignoreReason({ ...post, hidden: true }, SELF)).toBe('hidden');
  });
  it('answers in the thread: thread_ts of a reply, else the post ts', () => {
    expect(conversationOf({ ...post, team: 'T1' }, null)).toMatchObject({
      platform: 'slack',
      conversationId: 'C1',
      threadId: '1.1',
      messageId: '1.1',
      teamId: 'T1',
    });
    expect(conversationOf({ ...post, ts: '2.2', thread_ts: '1.1' }, 'T9')).toMatchObject({
      threadId: '1.1',
      messageId: '2.2',
      teamId: 'T9',
    });
  });
});

describe('once per post', () => {
  it('a mention and its message, and a retry, share one key (channel + ts); another post has its own', () => {
    expect(onceKeyOf('C1', '1.1')).toBe(onceKeyOf('C1', '1.1'));
    expect(onceKeyOf('C1', '1.2')).not.toBe(onceKeyOf('C1', '1.1'));
    expect(onceKeyOf('C2', '1.1')).not.toBe(onceKeyOf('C1', '1.1'));
  });
});
