/**
 * The ChatHandler the Teams and Slack adapters call. Pasted errors are answered wherever the bot can read them
 * (channels without a mention too); commands only when the bot is addressed; everything else stays quiet. Card
 * actions carry untrusted data, so every field is validated before anything reaches Azure.
 */
import { isRegistryId } from '../core/registry-ref.js';
import type { Reply } from '../core/reply.js';
import { AzureError } from './azure-error.js';
import type { ActionResult, ChatHandler, IncomingAction, IncomingMessage } from './chat.js';
import { parseCommand } from './commands.js';
import { azureNotice, replyToPaste, replyWithCheck, replyWithFirewall, type DiagnoseDeps } from './diagnose.js';

/** Another module's chat verbs (`requests`, `audit …`) and card actions (the approval flow). */
export interface ChatExtension {
  /** Addressed command `verb args…`; null when this extension does not own the verb. */
  onCommand?(verb: string, args: string[], message: IncomingMessage): Promise<Reply | null>;
  /** A card action; null when this extension does not own the verb. */
  onAction?(action: IncomingAction): Promise<ActionResult | null>;
  /** Sees every message the bot reads (chatter included), before anything answers it; must not throw or block. */
  observe?(message: IncomingMessage): void;
}

export interface ChatServiceDeps extends DiagnoseDeps {
  /** Consulted before the built-in behaviour, in order (the approval flow registers here). */
  extensions?: ChatExtension[];
}

function notice(tone: 'info' | 'warning' | 'error', title: string, text: string): Reply {
  return { type: 'notice', tone, title, text };
}

const UNKNOWN_COMMAND = notice(
  'info',
  'Not a command I know',
  'Paste an Azure Container Registry error and I will explain it, or ask `<registry>` or `<registry> <ip>`. Say `help` for more.',
);

export function createChatService(deps: ChatServiceDeps): ChatHandler {
  const extensions = deps.extensions ?? [];

  async function onCommand(message: IncomingMessage): Promise<Reply | null> {
    const command = parseCommand(message.text);
    switch (command.type) {
      case 'help':
        return { type: 'help' };
      case 'firewall':
        return replyWithFirewall(command.registry, deps);
      case 'check':
        return replyWithCheck(command.registry, command.ip, deps);
      case 'invalid':
        return notice('info', 'Check the command', `${command.problem} Say \`help\` for examples.`);
      case 'verb':
        for (const ext of extensions) {
          const reply = await ext.onCommand?.(command.verb, command.args, message);
          if (reply) return reply;
        }
        return notice(
          'info',
          'Not available yet',
          `\`${command.verb}\` is not enabled on this bot yet. Say \`help\` for what works now.`,
        );
      case 'unknown':
        return UNKNOWN_COMMAND;
    }
  }

  async function showRules(action: IncomingAction): Promise<Reply> {
    const id = action.data.registryId;
    if (!isRegistryId(id)) {
      return notice(
        'error',
        'Cannot show rules',
        'This button does not name a registry the bot can read. Ask `@bot <registry>` instead.',
      );
    }
    try {
      return { type: 'firewall', registry: await deps.gateway.readRegistry(id) };
    } catch (err) {
      if (!(err instanceof AzureError)) throw err;
      if (err.kind === 'not_found') {
        return notice(
          'warning',
          'Registry not found',
          `${id.split('/').pop()} no longer exists or moved: Azure did not find it.`,
        );
      }
      return azureNotice(err, `reading ${id.split('/').pop()}`);
    }
  }

  return {
    async onMessage(message) {
      for (const ext of extensions) {
        try {
          ext.observe?.(message);
        } catch {
          // Observers are best effort (e.g. remembering where a channel is); they never stop an answer.
        }
      }
      // A paste is answered wherever it appears; parsing is pure and cheap, so it runs first.
      const pasted = await replyToPaste(message.text, deps);
      if (pasted !== null) return pasted;
      if (!message.addressed) return null;
      return onCommand(message);
    },

    async onAction(action) {
      for (const ext of extensions) {
        const result = await ext.onAction?.(action);
        if (result) return result;
      }
      // Show rules and these notices are for the person who clicked; the diagnosis card stays as everyone sees it.
      switch (action.verb) {
        case 'show_rules':
          return { reply: await showRules(action), delivery: 'private' };
        case 'retry':
          return {
            reply: notice(
              'info',
              'Try again',
              'Paste the error again (or repeat the command) and I will read Azure afresh.',
            ),
            delivery: 'private',
          };
        default:
          return {
            reply: notice(
              'warning',
              'Unknown action',
              'This button is not one the bot knows; it may come from an older card.',
            ),
            delivery: 'private',
          };
      }
    },
  };
}
