/**
 * `acr-access audit [--registry R] [--since T] [--format jsonl|csv|json] [--json]`: the audit log, oldest first.
 *
 * R is a registry name or resource id (any case). T is an ISO-8601 time (2026-03-01T10:00:00Z, or a date) or a
 * duration back from now (24h, 7d). jsonl (default) prints one AuditEvent per line exactly as stored; csv prints
 * a header and one row per event, rule lists space-separated, with the rules added and removed; `--json` (the same
 * as `--format json`) prints one document, `{"events":[…]}`, like every other command's `--json`.
 */
import { parseDuration } from '../core/policy/duration.js';
import { ruleDiff, type AuditEvent } from '../core/requests/index.js';
import { EXIT, UsageError, type CliIO } from './io.js';
import { openStoreForCli, optionValue } from './store-access.js';

const USAGE =
  'usage: acr-access audit [--registry R] [--since T] [--format jsonl|csv|json] [--json]\n  T: an ISO-8601 time (2026-03-01T10:00:00Z) or a duration back from now (24h, 7d)';
const FORMATS = ['jsonl', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];
/** Events fetched per query while exporting; the export pages through everything with afterSeq. */
const PAGE = 5000;

export const CSV_COLUMNS = [
  'seq',
  'at',
  'type',
  'request_id',
  'registry_id',
  'registry_name',
  'rule',
  'actor_platform',
  'actor_id',
  'actor_email',
  'actor_name',
  'from_status',
  'to_status',
  'rules_before',
  'rules_after',
  'rules_added',
  'rules_removed',
  'correlation_id',
  'summary',
  'details',
] as const;

export async function run(args: string[], io: CliIO): Promise<number> {
  let registry: string | undefined;
  let since: Date | undefined;
  let format: Format | undefined;
  const choose = (f: Format) => {
    if (format !== undefined && format !== f)
      throw new UsageError(`choose one output format, not ${format} and ${f}\n${USAGE}`);
    format = f;
  };
  for (let i = 0; i < args.length; ) {
    const a = args[i]!;
    if (a === '--help' || a === '-h') {
      io.stdout(`${USAGE}\n`);
      return EXIT.ok;
    }
    if (a === '--json') {
      choose('json');
      i += 1;
      continue;
    }
    const r = optionValue(args, i, '--registry');
    const s = r ? null : optionValue(args, i, '--since');
    const f = r || s ? null : optionValue(args, i, '--format');
    if (r) registry = r.value.trim();
    else if (s) since = parseSince(s.value, new Date());
    else if (f) {
      const chosen = FORMATS.find((x) => x === f.value);
      if (!chosen) throw new UsageError(`--format must be jsonl, csv or json, not "${f.value}"\n${USAGE}`);
      choose(chosen);
    } else throw new UsageError(`unexpected argument ${a}\n${USAGE}`);
    i += (r ?? s ?? f)!.used;
  }
  if (registry === '') throw new UsageError(`--registry needs a registry name or resource id\n${USAGE}`);

  const out: Format = format ?? 'jsonl';
  const store = await openStoreForCli(io, 'audit');
  if (out === 'csv') io.stdout(`${CSV_COLUMNS.join(',')}\r\n`);
  // One JSON document, written page by page so a long export is never held in memory at once.
  if (out === 'json') io.stdout('{"events":[');
  try {
    let afterSeq: number | undefined;
    let first = true;
    while (store !== null) {
      const page = await store.listAudit({
        ...(registry ? { registry } : {}),
        ...(since ? { since } : {}),
        ...(afterSeq !== undefined ? { afterSeq } : {}),
        limit: PAGE,
      });
      if (page.length > 0) io.stdout(renderPage(page, out, first));
      first = first && page.length === 0;
      if (page.length < PAGE) break;
      afterSeq = page[page.length - 1]!.seq;
    }
    if (out === 'json') io.stdout(']}\n');
    return EXIT.ok;
  } finally {
    await store?.close();
  }
}

function renderPage(page: AuditEvent[], format: Format, first: boolean): string {
  if (format === 'csv') return page.map((e) => `${csvRow(e)}\r\n`).join('');
  if (format === 'jsonl') return page.map((e) => `${JSON.stringify(e)}\n`).join('');
  return (first ? '' : ',') + page.map((e) => JSON.stringify(e)).join(',');
}

export function parseSince(text: string, now: Date): Date {
  const t = text.trim();
  const ms = parseDuration(t);
  if (ms !== null) return new Date(now.getTime() - ms);
  // A date or date-time; the digit check keeps Date.parse away from free-form text it would guess at.
  if (/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) {
    const parsed = Date.parse(t.length === 10 ? `${t}T00:00:00Z` : t);
    if (Number.isFinite(parsed)) return new Date(parsed);
  }
  throw new UsageError(
    `--since "${text}" is not a time (2026-03-01T10:00:00Z, 2026-03-01) or a duration (24h, 7d)\n${USAGE}`,
  );
}

export function csvRow(e: AuditEvent): string {
  const diff = e.before && e.after ? ruleDiff(e.before, e.after) : null;
  const cells: Array<string | number | null> = [
    e.seq,
    e.at,
    e.type,
    e.requestId,
    e.registryId,
    e.registryName,
    e.rule,
    e.actor?.platform ?? null,
    e.actor?.id ?? null,
    e.actor?.email ?? null,
    e.actor?.displayName ?? null,
    e.fromStatus,
    e.toStatus,
    e.before?.join(' ') ?? null,
    e.after?.join(' ') ?? null,
    diff?.added.join(' ') ?? null,
    diff?.removed.join(' ') ?? null,
    e.correlationId,
    e.summary,
    JSON.stringify(e.details),
  ];
  return cells.map(csvCell).join(',');
}

/**
 * RFC 4180 quoting, plus a leading apostrophe on text a spreadsheet would run as a formula (=, +, -, @, tab, CR):
 * reasons and names in the audit log come from chat users.
 */
export function csvCell(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
