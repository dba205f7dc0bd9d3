/**
 * Proactive messages over real HTTP: a ConversationRef captured from an inbound channel message, stored as JSON
 * (as the store will), later used to post into the same thread and to update a card in place.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatHandler, ConversationRef } from '../../src/app/chat.js';
import {
  CHANNEL_CONVERSATION,
  OUTBOUND_TOKEN,
  postActivity,
  startConnectorDouble,
  startTeamsBot,
  startTokenAuthority,
  teamsActivity,
  type ConnectorDouble,
  type TeamsBotUnderTest,
  type TokenAuthority,
} from '../support/bot-framework.js';

let authority: TokenAuthority;
let connector: ConnectorDouble;
let bot: TeamsBotUnderTest;
const refs: ConversationRef[] = [];
const chat: ChatHandler = {
  onMessage: async (m) => {
    refs.push(JSON.parse(JSON.stringify(m.conversation)) as ConversationRef);
    return null;
  },
  onAction: async () => null,
};

beforeAll(async () => {
  authority = await startTokenAuthority();
  connector = await startConnectorDouble();
  bot = await startTeamsBot({ env: authority.settings(), chat });
});
afterAll(async () => {
  await bot?.close();
  await connector?.close();
  await authority?.close();
});

describe('Teams proactive messages', () => {
  it('posts into the original thread and updates a card, with the outbound token', async () => {
    const token = await authority.token({ serviceUrl: connector.serviceUrl });
    await postActivity(
      bot.url,
      teamsActivity({ serviceUrl: connector.serviceUrl, id: '1712000000001', text: 'chatter' }),
      `Bearer ${token}`,
    );
    expect(refs).toHaveLength(1);
    const ref = refs[0]!;

    const id = await bot.teams.messenger.post(ref, {
      type: 'notice',
      tone: 'info',
      title: 'Applied',
      text: '203.0.113.7/32 is now allowed on acmeprod.',
    });
    const [posted] = await connector.waitFor(1);
    expect(posted!.method).toBe('POST');
    expect(posted!.url).toBe(`/v3/conversations/${CHANNEL_CONVERSATION};messageid=1712000000001/activities`);
    expect(posted!.auth).toBe(`Bearer ${OUTBOUND_TOKEN}`);
    expect(JSON.stringify(posted!.body)).toContain('Applied');
    expect(id).toBe('reply-1');

    await bot.teams.messenger.update(ref, 'card-77', { type: 'help' });
    const [, put] = await connector.waitFor(2);
    expect(put!.method).toBe('PUT');
    expect(put!.url).toBe(`/v3/conversations/${CHANNEL_CONVERSATION};messageid=1712000000001/activities/card-77`);
    expect(JSON.stringify(put!.body)).toContain('ACR access helper');
  });

  it('refuses a reference from another platform', async () => {
    await expect(
      bot.teams.messenger.post(
        { platform: 'slack', kind: 'channel', conversationId: 'C1', threadId: null, messageId: null },
        { type: 'help' },
      ),
    ).rejects.toThrow(/not a Teams conversation/);
  });
});
