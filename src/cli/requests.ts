/**
 * `acr-access requests [--status S[,S…]] [--json]`: access requests, newest first (at most 1000).
 *
 *   text:   one line per request: id, status, registry, rule, duration, approvals, requester, created, ends
 *   --json: {"requests":[…AccessRequest records as stored…]}
 */
import { formatDuration } from '../core/policy/duration.js';
import { REQUEST_STATUSES, nameOf, type AccessRequest, type RequestStatus } from '../core/requests/index.js';
import { EXIT, UsageError, type CliIO } from './io.js';
import { openStoreForCli, optionValue } from './store-access.js';

const USAGE = `usage: acr-access requests [--status S[,S…]] [--json]\n  statuses: ${REQUEST_STATUSES.join(', ')}`;
const LIMIT = 1000;

export async function run(args: string[], io: CliIO): Promise<number> {
  let json = false;
  let statuses: RequestStatus[] | undefined;
  for (let i = 0; i < args.length; ) {
    const a = args[i]!;
    if (a === '--json') {
      json = true;
      i += 1;
      continue;
    }
    if (a === '--help' || a === '-h') {
      io.stdout(`${USAGE}\n`);
      return EXIT.ok;
    }
    const status = optionValue(args, i, '--status');
    if (status === null) throw new UsageError(`unexpected argument ${a}\n${USAGE}`);
    const list = status.value
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    const bad = list.filter((s) => !(REQUEST_STATUSES as readonly string[]).includes(s));
    if (list.length === 0 || bad.length > 0)
      throw new UsageError(`unknown status ${bad.join(', ') || '(empty)'}\n${USAGE}`);
    statuses = [...(statuses ?? []), ...(list as RequestStatus[])];
    i += status.used;
  }

  const store = await openStoreForCli(io, 'requests');
  if (store === null) {
    io.stdout(json ? '{"requests":[]}\n' : 'No requests.\n');
    return EXIT.ok;
  }
  try {
    const requests = await store.listRequests({ ...(statuses ? { status: statuses } : {}), limit: LIMIT });
    io.stdout(json ? `${JSON.stringify({ requests })}\n` : renderTable(requests));
    if (requests.length === LIMIT)
      io.stderr(`acr-access requests: showing the newest ${LIMIT}; narrow with --status\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

function row(r: AccessRequest): string[] {
  return [
    r.id,
    r.status,
    r.registry.name,
    r.rule,
    r.kind === 'extension'
      ? `+${formatDuration(r.durationMs ?? 0)}`
      : r.durationMs === null
        ? 'permanent'
        : formatDuration(r.durationMs),
    `${r.approvals.length}/${r.requiredApprovals}${r.breakGlass ? ' break-glass' : ''}`,
    nameOf(r.requester),
    r.createdAt,
    r.endsAt ?? '-',
  ];
}

export function renderTable(requests: readonly AccessRequest[]): string {
  if (requests.length === 0) return 'No requests.\n';
  const header = ['ID', 'STATUS', 'REGISTRY', 'RULE', 'DURATION', 'APPROVALS', 'REQUESTER', 'CREATED', 'ENDS'];
  const rows = [header, ...requests.map(row)];
  const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return (
    rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n') +
    '\n'
  );
}
