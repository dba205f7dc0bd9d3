/**
 * An audit channel: every audit event also posted, as the one-event `audit` reply both platforms already render, to a
 * chat channel the operators name (AUDIT_CHANNEL_TEAMS, AUDIT_CHANNEL_SLACK). Slack needs only the channel id. Teams
 * needs the conversation reference the bot records when it is added to the channel (or first hears a message there);
 * until then delivery fails and the forwarder retries, so nothing is skipped.
 */
import type { AuditEvent } from '../../core/requests/index.js';
import { channelConversationKey } from '../approvals/publish.js';
import type { ConversationRef } from '../chat.js';
import type { Notifier } from '../notifier.js';
import type { CardStore } from '../store.js';
import type { AuditSink } from './sink.js';

export function auditChannelSink(
  platform: 'teams' | 'slack',
  channelId: string,
  deps: { notifier: Notifier; store: Pick<CardStore, 'getConversation'> },
): AuditSink {
  async function conversation(): Promise<ConversationRef> {
    const stored = await deps.store.getConversation(channelConversationKey(platform, channelId));
    if (stored) return stored;
    if (platform === 'slack')
      return { platform, kind: 'channel', conversationId: channelId, threadId: null, messageId: null, channelId };
    throw new Error(
      `no conversation reference for the Teams audit channel ${channelId} yet: add the bot to the channel and mention it there once`,
    );
  }

  return {
    name: `${platform}-channel`,
    async deliver(event: AuditEvent) {
      await deps.notifier.post(await conversation(), {
        type: 'audit',
        view: { registry: event.registryName, events: [event], truncated: false },
      });
    },
  };
}
