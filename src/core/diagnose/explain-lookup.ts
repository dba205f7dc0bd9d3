/**
 * When the registry could not be read: not visible to the bot (with a word on custom domains and on names that
 * look like documentation placeholders, which are looked up all the same), shared by several registries, named
 * nowhere in the paste, or visible but unreadable.
 */
import type { Cause } from '../diagnosis.js';
import { isPlaceholderRegistryName } from '../parse/redaction.js';
import type { DecisionFacts } from './decide.js';
import { type Explanation, target } from './explain-common.js';
import * as fx from './fixes.js';
import { isAcrHost, nameFromId, pastedHost, plural } from './wording.js';

export function notFound(cause: Cause, f: DecisionFacts, notes: string[]): Explanation {
  const t = target(f);
  if (cause === 'registry_not_found') {
    const host = pastedHost(f.finding);
    if (f.lookup?.status === 'not_found') {
      const n = f.lookup.searchedSubscriptions;
      const where = `in the ${plural(n, 'subscription')} the bot can read`;
      const custom = host?.includes('.') && !isAcrHost(host);
      const summary = custom
        ? `No registry with the login server ${host} is visible ${where}, and ${host} is not an Azure Container Registry host name, so it may be a custom domain in front of a registry.`
        : `No registry ${host ? `with the login server ${host} ` : ''}is visible ${where}.`;
      const name = f.finding.registryName;
      if (name !== null && isPlaceholderRegistryName(name))
        notes.push(
          `${name} looks like a name from documentation or a tutorial; no registry by that name is visible, so the paste may still carry the example's name instead of the real one.`,
        );
      if (custom)
        notes.push(
          'Custom domains (for example an Application Gateway in front of the registry) hide the registry name: ask with the registry name or its *.azurecr.io login server.',
        );
      return {
        summary,
        fixes: [
          fx.checkRegistryName(
            t,
            custom
              ? 'Find the registry behind the custom domain and ask again with its name or *.azurecr.io login server.'
              : 'Check the spelling and the cloud suffix; the registry may also have been deleted or live in a subscription the bot cannot see.',
          ),
          fx.grantBotReader(null),
        ],
        notes,
      };
    }
    if (f.lookup?.status === 'ambiguous') {
      const servers = f.lookup.candidates.map((c) => c.loginServer);
      return {
        summary: `Several registries are named ${f.finding.registryName ?? 'like this'} (${servers.join(', ')}), so the bot does not guess which one refused the client.`,
        fixes: [
          fx.checkRegistryName(t, `Ask again with the login server of the registry you use: ${servers.join(' or ')}.`),
        ],
        notes,
      };
    }
    // The paste names no registry (redacted): nothing to read.
    notes.push('The registry name is missing or redacted in the paste.');
    return {
      summary: 'The error does not name the registry (it looks redacted), so the bot cannot read its firewall.',
      fixes: [
        fx.checkRegistryName(
          t,
          'Paste the error with the registry host name, or ask the bot directly with the registry name and the client address.',
        ),
      ],
      notes,
    };
  }

  const id = f.lookup?.status === 'no_access' ? f.lookup.registryId : null;
  return {
    summary: `The bot's identity is not allowed to read ${id ? nameFromId(id) : 'the registry'}, so it cannot check the registry firewall.`,
    fixes: [fx.grantBotReader(id)],
    notes,
  };
}
