/**
 * Reads POLICY_FILE: YAML → plain values → core validation, with every problem reported as
 * `policy.yaml:12: registries[1].minApprovals must be a positive integer`. Lines come from the `yaml` document's
 * node ranges; a problem about a missing key points at the nearest enclosing node that exists.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { builtInPolicy } from '../../core/policy/defaults.js';
import { formatPath, validatePolicy, type PolicyPath } from '../../core/policy/validate.js';
import type { Policy } from '../../core/policy/types.js';

export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  constructor(
    /** One line per problem: `file:line: path message`. */
    readonly problems: string[],
  ) {
    super(`The approval policy is not usable:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** Bigger than any hand-written policy; refusing early keeps a wrong path (a log file, a binary) cheap. */
const MAX_POLICY_BYTES = 1_000_000;

/** The policy from POLICY_FILE, or the built-in one (requests refused with a reason) when it is not set. */
export function loadPolicy(file: string | null): Policy {
  if (file === null) return builtInPolicy();
  let text: string;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_POLICY_BYTES)
      throw new PolicyError([`${file}: is ${size} bytes; a policy file is at most ${MAX_POLICY_BYTES}`]);
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof PolicyError) throw err;
    throw new PolicyError([`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`]);
  }
  return parsePolicy(text, file);
}

/** Parse and validate policy text; `file` names it in messages (its base name is used). */
export function parsePolicy(text: string, file: string): Policy {
  const name = path.basename(file);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new PolicyError(doc.errors.map((e) => `${name}:${lines.linePos(e.pos[0]).line}: ${firstLine(e.message)}`));
  }
  const result = validatePolicy(doc.toJS({ maxAliasCount: 50 }) as unknown, file);
  if (result.ok) return result.policy;
  const located = result.issues.map((i) => ({
    line: lineOf(doc, lines, i.path),
    text: `${formatPath(i.path)} ${i.message}`,
  }));
  located.sort((a, b) => a.line - b.line); // stable: same-line issues keep the validator's order
  throw new PolicyError(located.map((i) => `${name}:${i.line}: ${i.text}`));
}

function firstLine(message: string): string {
  const nl = message.indexOf('\n');
  return nl >= 0 ? message.slice(0, nl) : message;
}

/**
 * The line of the key (for map entries) or item (for list entries) a path names; for a path that does not exist
 * (a required key that is missing), the line of its deepest existing ancestor.
 */
function lineOf(doc: Document, lines: LineCounter, p: PolicyPath): number {
  let node: unknown = doc.contents;
  let line = 1;
  const at = (n: unknown): void => {
    const start = isNode(n) ? n.range?.[0] : undefined;
    if (start !== undefined) line = lines.linePos(start).line;
  };
  at(node);
  for (const key of p) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isPair(it) && (isScalar(it.key) ? it.key.value : it.key) === key);
      if (!pair) break;
      at(pair.key);
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key];
      if (item === undefined) break;
      at(item);
      node = item;
    } else break;
  }
  return line;
}
