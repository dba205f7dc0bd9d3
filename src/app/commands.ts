/**
 * Chat commands, read from addressed text after the adapters removed the bot's mention:
 *
 *   help                      what the bot does
 *   <registry>                the registry's firewall            (registry = name, login server or resource id)
 *   <registry> <ip>           one address against that firewall  (`check` may precede either form)
 *
 * More verbs plug into VERBS (the approval flow adds `requests` and `audit <registry>`). The text still carries
 * its platform formatting (Teams HTML, Slack `<url|label>` auto-links, entities, backticks), so it is flattened
 * first; anything long or odd is simply not a command.
 */
import { parseIp } from '../core/ip.js';
import { parseRegistryRef, type RegistryRef } from '../core/registry-ref.js';

export type Command =
  | { type: 'help' }
  | { type: 'firewall'; registry: RegistryRef }
  | { type: 'check'; registry: RegistryRef; ip: string }
  /** Looked like a command but an argument is wrong: `problem` is safe to show (no user text). */
  | { type: 'invalid'; problem: string }
  /** Not a command at all. */
  | { type: 'unknown' }
  /** A verb another module owns (`requests`, `audit …`): its words, flattened, for that module to read. */
  | { type: 'verb'; verb: string; args: string[] };

/** Commands longer than this are prose or a paste, not a command. */
const MAX_COMMAND_CHARS = 400;
const MAX_WORDS = 6;

/**
 * Verbs handled elsewhere: the chat service routes `{ type: 'verb' }` to whoever registered the verb. Kept as data
 * so adding `requests`/`audit` needs no change to the parser.
 */
export const OTHER_VERBS = new Set<string>(['requests', 'audit']);

/** Digits, dots, colons and a slash: an address or a range typed wrongly, not a word of chatter. */
const ADDRESS_LIKE = /^[0-9a-f.:]{1,45}(\/\d{1,3})?$/i;

const HELP_WORDS = new Set(['help', '?', '-h', '--help', 'hi', 'hello']);

/** Teams HTML, Slack mrkdwn and Markdown down to plain words. Linear: every pattern is a bounded single pass. */
export function flattenCommandText(text: string): string {
  return text
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<(https?:\/\/[^|>\s]{1,300})\|([^>]{1,300})>/g, '$2') // Slack auto-link <url|label>
    .replace(/<(https?:\/\/[^>\s]{1,300})>/g, '$1') // Slack bare link <url>
    .replace(/<@[A-Z0-9]{1,30}(\|[^>]{0,80})?>/g, ' ') // other Slack user mentions
    .replace(/<[^<>]{0,500}>/g, ' ') // HTML tags
    .replace(/&nbsp;|&#160;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/&amp;/gi, '&')
    .replace(/[`*_~]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function parseCommand(text: string): Command {
  if (text.length > MAX_COMMAND_CHARS * 4) return { type: 'unknown' };
  const flat = flattenCommandText(text);
  if (flat.length > MAX_COMMAND_CHARS) return { type: 'unknown' };
  const words = flat.split(' ').filter((w) => w !== '');
  if (words.length === 0) return { type: 'help' };
  if (words.length > MAX_WORDS) return { type: 'unknown' };
  const first = words[0]!.toLowerCase();
  if (HELP_WORDS.has(first) && words.length === 1) return { type: 'help' };
  if (OTHER_VERBS.has(first)) return { type: 'verb', verb: first, args: words.slice(1) };

  const args = first === 'check' ? words.slice(1) : words;
  if (args.length === 0) return { type: 'invalid', problem: 'Name a registry: `check <registry> [ip]`.' };
  if (args.length > 2)
    return first === 'check'
      ? { type: 'invalid', problem: 'Use `<registry>` or `<registry> <ip>`.' }
      : { type: 'unknown' };
  const registry = parseRegistryRef(args[0]!);
  if (registry === null) {
    return first === 'check' || args.length === 2
      ? { type: 'invalid', problem: 'That is not a registry name, login server or registry resource id.' }
      : { type: 'unknown' };
  }
  if (args.length === 1) return { type: 'firewall', registry };
  const ip = parseIp(args[1]!);
  if (ip === null) {
    // "hello there" is chatter; "myreg.azurecr.io 1.2.3" or "myreg 0.0.0.0/0" is a command with a wrong address.
    if (first !== 'check' && registry.kind === 'name' && !ADDRESS_LIKE.test(args[1]!)) return { type: 'unknown' };
    return {
      type: 'invalid',
      problem: args[1]!.includes('/')
        ? 'I check one address at a time, not a range: give an IPv4 or IPv6 address, like 203.0.113.7.'
        : 'The second word must be an IPv4 or IPv6 address, like 203.0.113.7.',
    };
  }
  return { type: 'check', registry, ip: ip.text };
}
