import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { actorOf, conversationOf, isAddressed, messageText, onceKeyOf } from '../../src/adapters/teams/incoming.js';
import { BOT_ACCOUNT, teamsActivity } from '../support/bot-framework.js';

const act = (o: Parameters<typeof teamsActivity>[0]) => teamsActivity(o) as unknown as Activity;
const SU = 'http://127.0.0.1:1/';

describe('Teams activity → IncomingMessage parts', () => {
  it('strips only the bot mention from text', () => {
    const a = act({ serviceUrl: SU, mentionBot: true, text: 'myreg 1.2.3.4 <at>Someone Else</at>' });
    expect(messageText(a)).toBe('myreg 1.2.3.4 <at>Someone Else</at>');
    expect(isAddressed(a)).toBe(true);
  });

  it('does not strip a mention of someone else who shares no name with the bot', () => {
    const a = act({ serviceUrl: SU, text: `<at>${BOT_ACCOUNT.name}</at> hi` });
    // No mention entity naming the bot: not addressed, text untouched.
    expect(isAddressed(a)).toBe(false);
    expect(messageText(a)).toBe(`<at>${BOT_ACCOUNT.name}</at> hi`);
  });

  it('takes the HTML attachment and strips the bot mention span and <at> forms', () => {
    const html = `<div><at id="0">${BOT_ACCOUNT.name}</at> <span itemscope itemtype="http://schema.skype.com/Mention" itemid="1">ACR&nbsp;Access</span> denied &lt;x&gt;</div>`;
    const a = act({ serviceUrl: SU, mentionBot: true, text: 'denied', html });
    expect(messageText(a)).toBe('<div>  denied &lt;x&gt;</div>');
  });

  it('survives unterminated and hostile tags in linear time', () => {
    const html = '<span'.repeat(20000) + '<at>'.repeat(20000);
    const a = act({ serviceUrl: SU, mentionBot: true, text: 'x', html });
    expect(messageText(a)).toBe(html);
  });

  it('empty HTML falls back to text', () => {
    const a = act({ serviceUrl: SU, text: 'plain', html: '   ' });
    expect(messageText(a)).toBe('plain');
  });

  it('maps the actor; a sender without an AAD id keeps its channel id', () => {
    expect(actorOf({ id: '29:abc', name: 'X' })).toEqual({
      platform: 'teams',
      id: '29:abc',
      platformUserId: '29:abc',
      displayName: 'X',
      email: null,
    });
    expect(actorOf(undefined)).toMatchObject({ id: '', displayName: null });
  });

  it('invoke conversation refs point at the card message', () => {
    const a = act({ serviceUrl: SU, type: 'invoke', conversationType: 'personal', extra: { replyToId: 'card-1' } });
    expect(conversationOf(a)).toMatchObject({ messageId: 'card-1', threadId: null });
  });
});

describe('once per message', () => {
  it('one key per conversation and activity id, with or without the thread suffix; none without an id', () => {
    const base = act({ serviceUrl: SU, conversationType: 'channel' });
    const inThread = { ...base, conversation: { ...base.conversation, id: '19:c@thread.tacv2;messageid=17' } };
    const atRoot = { ...base, conversation: { ...base.conversation, id: '19:c@thread.tacv2' } };
    expect(onceKeyOf(inThread as Activity)).toBe(onceKeyOf(atRoot as Activity));
    expect(onceKeyOf({ ...atRoot, id: 'other' } as Activity)).not.toBe(onceKeyOf(atRoot as Activity));
    expect(onceKeyOf({ ...atRoot, id: undefined } as unknown as Activity)).toBeNull();
  });
});
