/**
 * The ChatHandler the Teams and Slack adapters call. Pasted errors are answered wherever the bot can read them
 * (channels without a mention too); commands only when the bot is addressed; everything else stays quiet. Card
 * actions carry untrusted data, so every field is validated before anything reaches Azure.
 */
import { isRegistryId } from '../core/registry-ref.js';
import { parseFindings } from '../core/parse/index.js';
import type { Reply } from '../core/reply.js';
import type { Logger } from '../log.js';
import { AzureError } from './azure-error.js';
import type { ActionResult, ChatHandler, IncomingAction, IncomingMessage } from './chat.js';
import { parseCommand } from './commands.js';
import { azureNotice, replyToFindings, replyWithCheck, replyWithFirewall, type DiagnoseDeps } from './diagnose.js';
import { type ClaimStore, MessageClaims } from './message-claims.js';
import { noTelemetry, type Telemetry } from './telemetry/port.js';

/** Another module's chat verbs (`requests`, `audit …`) and card actions (the approval flow). */
export interface ChatExtension {
  /** Addressed command `verb args…`; null when this extension does not own the verb. */
  onCommand?(verb: string, args: string[], message: IncomingMessage): Promise<Reply | null>;
  /** A card action; null when this extension does not own the verb. */
  onAction?(action: IncomingAction): Promise<ActionResult | null>;
  /** Adds what only this extension knows to a reply the chat service built (best effort; must not throw). */
  enrich?(reply: Reply): Promise<Reply>;
  /** Sees every message the bot reads (chatter included), before anything answers it; must not throw or block. */
  observe?(message: IncomingMessage): void;
  /** Sees a message the bot is answering (never chatter), as the answer goes out; must not throw or block. */
  answered?(message: IncomingMessage): void;
}

export interface ChatServiceDeps extends DiagnoseDeps {
  /** Consulted before the built-in behaviour, in order (the approval flow registers here). */
  extensions?: ChatExtension[];
  /** Where "answered once" claims are kept, shared by every instance; without it, this process's memory only. */
  claims?: ClaimStore;
  logger?: Logger;
  /** Spans of each turn and its parse; pastes, diagnoses and reply times. */
  telemetry?: Telemetry;
}

function notice(tone: 'info' | 'warning' | 'error', title: string, text: string): Reply {
  return { type: 'notice', tone, title, text };
}

const UNKNOWN_COMMAND = notice(
  'info',
  'Not a command I know',
  'Paste an Azure Container Registry error and I will explain it, or ask `<registry>` or `<registry> <ip>`. Say `help` for more.',
);

/** Longest words a Details button may ask to read again (Slack button values hold 2000 characters). */
const MAX_DETAILS_TEXT = 8000;

const NO_DETAILS = notice(
  'info',
  'No details to show',
  'This button does not carry a message the bot can read again. Paste the error again to see its details.',
);

export function createChatService(deps: ChatServiceDeps): ChatHandler {
  const extensions = deps.extensions ?? [];
  const claims = new MessageClaims(deps.claims ?? null, deps.logger ?? null);
  const telemetry = deps.telemetry ?? noTelemetry;

  /** A message's turn after the observers: parse, then a claim, then the answer (null: stay quiet). */
  async function answer(message: IncomingMessage, started: number): Promise<Reply | null> {
    const platform = message.conversation.platform;
    // A paste is answered wherever it appears, a command only when the bot is addressed. Parsing is pure and
    // cheap, so it decides first: chatter ends here, with no claim (store write), no lookup and no Azure call.
    const findings = telemetry.spanSync('parse', { platform }, () => parseFindings(message.text));
    if (findings.length === 0 && !message.addressed) return null;
    if (message.onceKey !== undefined && !(await claims.claim(message.onceKey, platform))) return null;
    if (findings.length > 0) telemetry.pasted(platform, findings[0]!.kind);
    const reply = await enrich(await (findings.length > 0 ? replyToFindings(findings, deps) : onCommand(message)));
    if (reply?.type === 'diagnoses') for (const d of reply.diagnoses) telemetry.diagnosed(d.cause);
    if (reply) {
      telemetry.replied(platform, (Date.now() - started) / 1000);
      for (const ext of extensions) ext.answered?.(message);
    }
    return reply;
  }

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
      case 'verb': {
        // Extensions decide by who asks: the actor with its directory details, looked up only now.
        const asked = message.resolveActor ? { ...message, actor: await message.resolveActor() } : message;
        for (const ext of extensions) {
          const reply = await ext.onCommand?.(command.verb, command.args, asked);
          if (reply) return reply;
        }
        return notice(
          'info',
          'Not available yet',
          `\`${command.verb}\` is not enabled on this bot yet. Say \`help\` for what works now.`,
        );
      }
      case 'unknown':
        return UNKNOWN_COMMAND;
    }
  }

  async function enrich(reply: Reply | null): Promise<Reply | null> {
    let out = reply;
    for (const ext of extensions) if (out && ext.enrich) out = await ext.enrich(out);
    return out;
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
      // Shown, never written back: clicks on the same registry while a read is on its way share it.
      return { type: 'firewall', registry: await deps.gateway.readRegistry(id, { shareInFlight: true }) };
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

  /**
   * Details of a compact diagnosis, for the person who clicked, where a platform cannot hide parts of a message
   * (Slack): the words it answered are read again (a paste, or a `<registry> <ip>` check) and the diagnoses come
   * back expanded. Nothing is claimed or counted as a new paste; anything else gets a notice.
   */
  async function details(action: IncomingAction): Promise<Reply> {
    const text = action.data.text;
    if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_DETAILS_TEXT) return NO_DETAILS;
    const findings = parseFindings(text);
    const command = findings.length === 0 && action.data.addressed === true ? parseCommand(text) : null;
    const reply =
      findings.length > 0
        ? await replyToFindings(findings, deps)
        : command?.type === 'check'
          ? await replyWithCheck(command.registry, command.ip, deps)
          : null;
    if (reply === null) return NO_DETAILS;
    const enriched = (await enrich(reply)) ?? reply;
    return enriched.type === 'diagnoses' ? { ...enriched, expanded: true } : enriched;
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
      const started = Date.now();
      return telemetry.span('chat.turn', { platform: message.conversation.platform }, () => answer(message, started));
    },

    onAction: (action) =>
      telemetry.span('chat.action', { platform: action.conversation.platform, verb: action.verb }, () =>
        onAction(action),
      ),
  };

  async function onAction(action: IncomingAction): Promise<ActionResult | null> {
    for (const ext of extensions) {
      const result = await ext.onAction?.(action);
      if (result) return result;
    }
    // Show rules and these notices are for the person who clicked; the diagnosis card stays as everyone sees it.
    switch (action.verb) {
      case 'show_rules': {
        const rules = await showRules(action);
        return { reply: (await enrich(rules)) ?? rules, delivery: 'private' };
      }
      case 'details':
        return { reply: await details(action), delivery: 'private' };
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
  }
}
