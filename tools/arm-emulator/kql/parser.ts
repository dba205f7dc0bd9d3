/**
 * A deliberately small, honest KQL subset for the emulator's Resource Graph — enough for the bot's own queries,
 * and a clear error for anything else (never a silently wrong answer):
 *
 *   query    := ('resources' | 'Resources') ('|' operator)*
 *   operator := 'where' expr | 'project' item (',' item)* | ('limit' | 'take') number
 *   item     := name | name '=' expr
 *   expr     := and ('or' and)* ;  and := cmp ('and' cmp)*
 *   cmp      := unary (('==' | '!=' | '=~' | '!~') unary | ('in' | 'in~' | '!in' | '!in~') '(' literal (',' literal)* ')')?
 *   unary    := 'not' '(' expr ')' | primary
 *   primary  := '(' expr ')' | string | number | 'true' | 'false' | func '(' args ')' | column ('.' name | '[' literal ']')*
 *   func     := tolower | toupper | tostring | ipv4_is_in_range | isnotempty | isempty
 */
import { KqlError, tokenize, type Token } from './lexer.js';

export type Expr =
  | { kind: 'lit'; value: unknown }
  | { kind: 'path'; root: string; steps: (string | number)[] }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'cmp'; op: string; left: Expr; right: Expr }
  | { kind: 'in'; op: string; left: Expr; list: unknown[] }
  | { kind: 'and' | 'or'; parts: Expr[] }
  | { kind: 'not'; expr: Expr };

export type Operator =
  | { kind: 'where'; expr: Expr }
  | { kind: 'project'; items: { name: string; expr: Expr }[] }
  | { kind: 'limit'; count: number };

export interface Query {
  table: 'resources';
  operators: Operator[];
}

export const FUNCTIONS = ['tolower', 'toupper', 'tostring', 'ipv4_is_in_range', 'isnotempty', 'isempty'] as const;
const OPERATORS = ['where', 'project', 'limit', 'take'];

export function parseQuery(text: string): Query {
  const toks = tokenize(text);
  let i = 0;
  const peek = (): Token => toks[i]!;
  const next = (): Token => toks[i++]!;
  const isOp = (v: string): boolean => {
    const t = peek();
    return t.kind === 'op' && t.value === v;
  };
  const isWord = (v: string): boolean => {
    const t = peek();
    return t.kind === 'ident' && t.value === v;
  };
  const expectOp = (v: string): void => {
    const t = next();
    if (t.kind !== 'op' || t.value !== v) throw new KqlError(`expected '${v}'`, t.pos);
  };
  const describe = (t: Token): string => (t.kind === 'end' ? 'end of query' : `'${String(t.value)}'`);

  const literal = (): unknown => {
    const t = next();
    if (t.kind === 'string' || t.kind === 'number') return t.value;
    if (t.kind === 'ident' && (t.value === 'true' || t.value === 'false')) return t.value === 'true';
    throw new KqlError(`expected a literal, found ${describe(t)}`, t.pos);
  };

  const primary = (): Expr => {
    const t = peek();
    if (isOp('(')) {
      next();
      const e = expr();
      expectOp(')');
      return e;
    }
    if (t.kind === 'string' || t.kind === 'number') {
      next();
      return { kind: 'lit', value: t.value };
    }
    if (t.kind !== 'ident') throw new KqlError(`unexpected ${describe(t)}`, t.pos);
    next();
    if (t.value === 'true' || t.value === 'false') return { kind: 'lit', value: t.value === 'true' };
    if (isOp('(')) {
      if (!(FUNCTIONS as readonly string[]).includes(t.value)) {
        throw new KqlError(
          `function '${t.value}' is not supported by the ARM emulator (supported: ${FUNCTIONS.join(', ')})`,
          t.pos,
        );
      }
      next();
      const args: Expr[] = [];
      if (!isOp(')')) {
        args.push(expr());
        while (isOp(',')) {
          next();
          args.push(expr());
        }
      }
      expectOp(')');
      return { kind: 'call', name: t.value, args };
    }
    const steps: (string | number)[] = [];
    for (;;) {
      if (isOp('.')) {
        next();
        const n = next();
        if (n.kind !== 'ident') throw new KqlError(`expected a property name after '.'`, n.pos);
        steps.push(n.value);
      } else if (isOp('[')) {
        next();
        const v = literal();
        expectOp(']');
        steps.push(typeof v === 'number' ? v : String(v));
      } else break;
    }
    return { kind: 'path', root: t.value, steps };
  };

  const unary = (): Expr => {
    if (isWord('not')) {
      next();
      expectOp('(');
      const e = expr();
      expectOp(')');
      return { kind: 'not', expr: e };
    }
    return primary();
  };

  const cmp = (): Expr => {
    const left = unary();
    const t = peek();
    if (t.kind === 'op' && ['==', '!=', '=~', '!~'].includes(t.value)) {
      next();
      return { kind: 'cmp', op: t.value, left, right: unary() };
    }
    if ((t.kind === 'op' && ['in~', '!in', '!in~'].includes(t.value)) || (t.kind === 'ident' && t.value === 'in')) {
      next();
      expectOp('(');
      const list = [literal()];
      while (isOp(',')) {
        next();
        list.push(literal());
      }
      expectOp(')');
      return { kind: 'in', op: String(t.value), left, list };
    }
    if (t.kind === 'op' && ['<', '>', '<=', '>='].includes(t.value)) {
      throw new KqlError(`operator '${t.value}' is not supported by the ARM emulator`, t.pos);
    }
    return left;
  };

  const and = (): Expr => {
    const parts = [cmp()];
    while (isWord('and')) {
      next();
      parts.push(cmp());
    }
    return parts.length === 1 ? parts[0]! : { kind: 'and', parts };
  };

  function expr(): Expr {
    const parts = [and()];
    while (isWord('or')) {
      next();
      parts.push(and());
    }
    return parts.length === 1 ? parts[0]! : { kind: 'or', parts };
  }

  const table = next();
  if (
    table.kind !== 'ident' ||
    table.value.toLowerCase() !== 'resources' ||
    !['resources', 'Resources'].includes(table.value)
  ) {
    throw new KqlError(`table ${describe(table)} is not supported by the ARM emulator (only 'resources')`, table.pos);
  }
  const operators: Operator[] = [];
  while (isOp('|')) {
    next();
    const op = next();
    if (op.kind !== 'ident' || !OPERATORS.includes(op.value)) {
      throw new KqlError(
        `operator ${describe(op)} is not supported by the ARM emulator (supported: ${OPERATORS.join(', ')})`,
        op.pos,
      );
    }
    if (op.value === 'where') operators.push({ kind: 'where', expr: expr() });
    else if (op.value === 'limit' || op.value === 'take') {
      const n = next();
      if (n.kind !== 'number' || !Number.isInteger(n.value) || n.value < 0)
        throw new KqlError('limit needs a non-negative integer', n.pos);
      operators.push({ kind: 'limit', count: n.value });
    } else {
      const items: { name: string; expr: Expr }[] = [];
      do {
        if (items.length > 0) next();
        const nameTok = peek();
        if (nameTok.kind !== 'ident')
          throw new KqlError(`expected a column name, found ${describe(nameTok)}`, nameTok.pos);
        if (toks[i + 1]?.kind === 'op' && (toks[i + 1] as { value: string }).value === '=') {
          next();
          next();
          items.push({ name: nameTok.value, expr: expr() });
        } else {
          const e = primary();
          // KQL names a projected path `a_b` (properties.loginServer → properties_loginServer).
          const name = e.kind === 'path' ? [e.root, ...e.steps].join('_') : nameTok.value;
          items.push({ name, expr: e });
        }
      } while (isOp(','));
      operators.push({ kind: 'project', items });
    }
  }
  const end = peek();
  if (end.kind !== 'end') throw new KqlError(`unexpected ${describe(end)}`, end.pos);
  return { table: 'resources', operators };
}
