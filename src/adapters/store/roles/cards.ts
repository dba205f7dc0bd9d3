/** The cards and conversations role: where people and channels can be reached, and every posted card copy. */
import type { CardStore } from '../../../app/store.js';
import type { ConversationRef } from '../../../app/chat.js';
import { cardFromRow, json } from '../rows.js';
import type { Shell } from '../shell.js';

export function cardsRole(shell: Shell): CardStore {
  const { driver, clock } = shell;
  return {
    async saveConversation(key, ref) {
      await driver.tx((sql) =>
        sql.run(
          'INSERT INTO conversations (conversation_key, platform, ref, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (conversation_key) DO UPDATE SET platform = excluded.platform, ref = excluded.ref, updated_at = excluded.updated_at',
          [key, ref.platform, JSON.stringify(ref), clock.now().toISOString()],
        ),
      );
    },

    async getConversation(key) {
      const rows = await driver.read('SELECT ref FROM conversations WHERE conversation_key = ?', [key]);
      return rows[0] ? json<ConversationRef>(rows[0].ref) : null;
    },

    async saveCard(card) {
      await driver.tx((sql) =>
        sql.run(
          'INSERT INTO request_cards (request_id, purpose, platform, conversation_id, message_id, ref, viewer, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ' +
            'ON CONFLICT (request_id, platform, conversation_id, message_id) DO UPDATE SET purpose = excluded.purpose, ref = excluded.ref, viewer = excluded.viewer, updated_at = excluded.updated_at',
          [
            card.requestId,
            card.purpose,
            card.conversation.platform,
            card.conversation.conversationId,
            card.messageId,
            JSON.stringify(card.conversation),
            card.viewer ? JSON.stringify(card.viewer) : null,
            clock.now().toISOString(),
          ],
        ),
      );
    },

    async listCards(requestId) {
      const rows = await driver.read(
        'SELECT * FROM request_cards WHERE request_id = ? ORDER BY updated_at, purpose, conversation_id, message_id',
        [requestId],
      );
      return rows.map(cardFromRow);
    },
  };
}
