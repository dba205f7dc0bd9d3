/** Runs a parsed query (kql/parser.ts) over Resource Graph rows. */
import ipaddr from 'ipaddr.js';
import { KqlError } from './lexer.js';
import { parseQuery, type Expr, type Query } from './parser.js';

export type Row = Record<string, unknown>;

/** Columns of Resource Graph's `resources` table. */
export const RESOURCE_COLUMNS = [
  'id',
  'name',
  'type',
  'tenantId',
  'kind',
  'location',
  'resourceGroup',
  'subscriptionId',
  'managedBy',
  'sku',
  'plan',
  'properties',
  'tags',
  'identity',
  'zones',
  'extendedLocation',
];

function toStr(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function inRange(ip: unknown, range: unknown): boolean | null {
  if (typeof ip !== 'string' || typeof range !== 'string') return null;
  try {
    if (!ipaddr.IPv4.isValidFourPartDecimal(ip)) return null;
    const addr = ipaddr.IPv4.parse(ip);
    const [net, bits] = range.includes('/') ? ipaddr.IPv4.parseCIDR(range) : [ipaddr.IPv4.parse(range), 32];
    return addr.match(net, bits);
  } catch {
    return null;
  }
}

function evaluate(e: Expr, row: Row, columns: Set<string>): unknown {
  switch (e.kind) {
    case 'lit':
      return e.value;
    case 'path': {
      if (!columns.has(e.root)) throw new KqlError(`Failed to resolve scalar expression named '${e.root}'`, 0);
      let v: unknown = row[e.root];
      for (const s of e.steps) {
        if (v === null || v === undefined || typeof v !== 'object') return null;
        v = (v as Record<string | number, unknown>)[s];
      }
      return v === undefined ? null : v;
    }
    case 'call': {
      const args = e.args.map((a) => evaluate(a, row, columns));
      const want = (n: number): void => {
        if (args.length !== n) throw new KqlError(`${e.name}() expects ${n} argument(s), got ${args.length}`, 0);
      };
      switch (e.name) {
        case 'tostring':
          want(1);
          return toStr(args[0]);
        case 'tolower':
          want(1);
          return toStr(args[0]).toLowerCase();
        case 'toupper':
          want(1);
          return toStr(args[0]).toUpperCase();
        case 'isnotempty':
          want(1);
          return toStr(args[0]) !== '';
        case 'isempty':
          want(1);
          return toStr(args[0]) === '';
        case 'ipv4_is_in_range':
          want(2);
          return inRange(args[0], args[1]);
        default:
          throw new KqlError(`function '${e.name}' is not supported`, 0);
      }
    }
    case 'cmp': {
      const l = evaluate(e.left, row, columns);
      const r = evaluate(e.right, row, columns);
      if (l === null || r === null) return e.op === '!=' || e.op === '!~' ? l !== r : false;
      const [a, b] =
        e.op === '=~' || e.op === '!~' ? [toStr(l).toLowerCase(), toStr(r).toLowerCase()] : [toStr(l), toStr(r)];
      return e.op === '==' || e.op === '=~' ? a === b : a !== b;
    }
    case 'in': {
      const l = evaluate(e.left, row, columns);
      if (l === null) return e.op.startsWith('!');
      const ci = e.op.endsWith('~');
      const norm = (v: unknown): string => (ci ? toStr(v).toLowerCase() : toStr(v));
      const hit = e.list.map(norm).includes(norm(l));
      return e.op.startsWith('!') ? !hit : hit;
    }
    case 'and':
      return e.parts.every((p) => evaluate(p, row, columns) === true);
    case 'or':
      return e.parts.some((p) => evaluate(p, row, columns) === true);
    case 'not':
      return evaluate(e.expr, row, columns) !== true;
  }
}

/** KQL resolves names when it compiles the query, so an unknown column fails even when no row reaches it. */
function checkColumns(e: Expr, columns: Set<string>): void {
  switch (e.kind) {
    case 'path':
      if (!columns.has(e.root)) throw new KqlError(`Failed to resolve scalar expression named '${e.root}'`, 0);
      return;
    case 'call':
      for (const a of e.args) checkColumns(a, columns);
      return;
    case 'cmp':
      checkColumns(e.left, columns);
      checkColumns(e.right, columns);
      return;
    case 'in':
      checkColumns(e.left, columns);
      return;
    case 'and':
    case 'or':
      for (const p of e.parts) checkColumns(p, columns);
      return;
    case 'not':
      checkColumns(e.expr, columns);
      return;
    case 'lit':
      return;
  }
}

export function runQuery(query: Query | string, rows: Row[]): Row[] {
  const q = typeof query === 'string' ? parseQuery(query) : query;
  let columns = new Set(RESOURCE_COLUMNS);
  let out = rows;
  for (const op of q.operators) {
    if (op.kind === 'where') {
      const cols = columns;
      checkColumns(op.expr, cols);
      out = out.filter((row) => evaluate(op.expr, row, cols) === true);
    } else if (op.kind === 'limit') out = out.slice(0, op.count);
    else {
      const cols = columns;
      for (const it of op.items) checkColumns(it.expr, cols);
      out = out.map((row) => Object.fromEntries(op.items.map((it) => [it.name, evaluate(it.expr, row, cols)])));
      columns = new Set(op.items.map((it) => it.name));
    }
  }
  return out;
}
