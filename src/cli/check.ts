/**
 * `acr-access check <registry|loginServer|resourceId> [ip] [--json]`: the firewall of one registry, read fresh, and
 * optionally one address against it.
 *
 *   without ip, --json: {"registry":{…RegistrySnapshot},"ipRuleLimit":200,"unlistedClients":"allowed"|"denied"}
 *   with ip,    --json: {"diagnoses":[…one diagnosis…]}  (the `diagnose --json` shape, for a synthetic finding)
 *
 * A registry that is not visible: exit 1 without ip (there is no firewall to show), a `registry_not_found`
 * diagnosis with ip. A registry the bot may not read: exit 3 (Azure refused).
 */
import { AzureError } from '../app/azure-error.js';
import { checkAddress, lookupNotice, readFirewall } from '../app/diagnose.js';
import { parseIp } from '../core/ip.js';
import { parseRegistryRef } from '../core/registry-ref.js';
import { MAX_IP_RULES } from '../core/registry.js';
import { EXIT, UsageError, type CliIO } from './io.js';
import { azureFailure, openGateway } from './gateway.js';
import { renderText, unlistedClients } from './render-text.js';

const USAGE = 'usage: acr-access check <registry|loginServer|resourceId> [ip] [--json]';

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
    if (parsed === null) throw new UsageError(`"${positional[1].slice(0, 80)}" is not an IP address\n${USAGE}`);
    ip = parsed.text;
  }

  const gateway = await openGateway(io);
  try {
    if (ip !== null) {
      const diagnosis = await checkAddress(ref, ip, { gateway });
      io.stdout(
        json
          ? `${JSON.stringify({ diagnoses: [diagnosis] })}\n`
          : `${renderText({ type: 'diagnoses', diagnoses: [diagnosis] })}\n`,
      );
      return EXIT.ok;
    }
    const result = await readFirewall(ref, { gateway });
    if (result.status !== 'found') {
      const n = lookupNotice(ref, result);
      io.stderr(`acr-access check: ${n.type === 'notice' ? n.text : 'registry not available'}\n`);
      // An ambiguous name is the caller's to fix (give the login server): a usage error.
      return result.status === 'no_access' ? EXIT.azure : result.status === 'ambiguous' ? EXIT.usage : EXIT.failure;
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
