/**
 * `acr-access check <registry|loginServer|resourceId> [ip] [--json]`: the firewall of one registry, read fresh, and
 * optionally one address against it.
 *
 *   without ip, --json: {"registry":{…RegistrySnapshot},"ipRuleLimit":200,"unlistedClients":"allowed"|"denied"}
 *   with ip,    --json: {"diagnoses":[…one diagnosis…],"verdict":"allowed"|"refused"}  (the `diagnose --json` shape
 *               for a synthetic finding; `verdict` when the registry was read)
 *
 * The same exit code with or without an address: a registry nobody can see exits 1 (with an address, after printing
 * its `registry_not_found` diagnosis), one the bot may not read exits 3 (Azure refused), an ambiguous name exits 2.
 */
import { AzureError } from '../app/azure-error.js';
import type { RegistryLookup } from '../app/ports.js';
import { checkAddress, lookupNotice, readFirewall } from '../app/diagnose.js';
import { parseIp } from '../core/ip.js';
import { parseRegistryRef } from '../core/registry-ref.js';
import { MAX_IP_RULES } from '../core/registry.js';
import { EXIT, UsageError, type CliIO } from './io.js';
import { azureFailure, openGateway } from './gateway.js';
import { diagnosisJson } from './parse.js';
import { renderText, unlistedClients } from './render-text.js';

const USAGE = 'usage: acr-access check <registry|loginServer|resourceId> [ip] [--json]';

/** What `check` accepts, said for the word it got: one address, not a range. */
function notAnAddress(word: string): string {
  const shown = word.slice(0, 80);
  return /^[0-9a-f.:]+\/\d{1,3}$/i.test(word)
    ? `"${shown}" is a range: check takes one IPv4 or IPv6 address, like 203.0.113.7`
    : `"${shown}" is not an IP address: check takes one IPv4 or IPv6 address, like 203.0.113.7`;
}

/**
 * The exit code from how the registry lookup went, the same with or without an address. An ambiguous name is the
 * caller's to fix (give the login server): a usage error.
 */
function exitFor(lookup: RegistryLookup['status']): number {
  if (lookup === 'found') return EXIT.ok;
  if (lookup === 'no_access') return EXIT.azure;
  return lookup === 'ambiguous' ? EXIT.usage : EXIT.failure;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  let json = false;
  const positional: string[] = [];
  for (const a of args) {
    if (a === '--json') json = true;
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}\n${USAGE}`);
    else positional.push(a);
  }
  if (positional.length < 1 || positional.length > 2)
    throw new UsageError(`give a registry and optionally one IP address\n${USAGE}`);
  const ref = parseRegistryRef(positional[0]!);
  if (ref === null)
    throw new UsageError(
      `"${positional[0]!.slice(0, 80)}" is not a registry name, login server or registry resource id\n${USAGE}`,
    );
  let ip: string | null = null;
  if (positional[1] !== undefined) {
    const parsed = parseIp(positional[1]);
    if (parsed === null) throw new UsageError(`${notAnAddress(positional[1])}\n${USAGE}`);
    ip = parsed.text;
  }

  const gateway = await openGateway(io);
  try {
    if (ip !== null) {
      const { diagnosis, lookup } = await checkAddress(ref, ip, { gateway });
      const verdict = diagnosis.verdict !== undefined ? { verdict: diagnosis.verdict } : {};
      io.stdout(
        json
          ? `${JSON.stringify({ diagnoses: [diagnosisJson(diagnosis)], ...verdict })}\n`
          : `${renderText({ type: 'diagnoses', diagnoses: [diagnosis] })}\n`,
      );
      return exitFor(lookup);
    }
    const result = await readFirewall(ref, { gateway });
    if (result.status !== 'found') {
      const n = lookupNotice(ref, result);
      io.stderr(`acr-access check: ${n.type === 'notice' ? n.text : 'registry not available'}\n`);
      return exitFor(result.status);
    }
    const registry = result.registry;
    io.stdout(
      json
        ? `${JSON.stringify({ registry, ipRuleLimit: MAX_IP_RULES, unlistedClients: unlistedClients(registry) })}\n`
        : `${renderText({ type: 'firewall', registry })}\n`,
    );
    return EXIT.ok;
  } catch (err) {
    if (err instanceof AzureError) return azureFailure(err, 'check', io);
    throw err;
  }
}
