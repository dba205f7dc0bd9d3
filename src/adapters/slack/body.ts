/**
 * Slack's three request bodies on one URL: Events API (`application/json`), interactivity
 * (`application/x-www-form-urlencoded` with one `payload=<JSON>` field) and slash commands / `ssl_check`
 * (`application/x-www-form-urlencoded` fields). Parsing never throws: a body that is none of these is `malformed`.
 */
export type SlackBody = Record<string, unknown>;

export type ParsedBody = { ok: true; body: SlackBody } | { ok: false; reason: string };

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function isObject(v: unknown): v is SlackBody {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseJsonObject(text: string): ParsedBody {
  try {
    const v: unknown = JSON.parse(text);
    return isObject(v) ? { ok: true, body: v } : { ok: false, reason: 'JSON body is not an object' };
  } catch {
    return { ok: false, reason: 'body is not valid JSON' };
  }
}

export function isForm(contentType: string | undefined): boolean {
  return mediaType(contentType) === 'application/x-www-form-urlencoded';
}

/** Form fields, first value wins (Slack never repeats a field). */
export function parseForm(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) if (!(k in out)) out[k] = v;
  return out;
}

/** `ssl_check=1` (sent unsigned by Slack to test the certificate of a slash-command URL): answered 200, nothing else. */
export function isSslCheck(contentType: string | undefined, rawBody: Buffer): boolean {
  if (!isForm(contentType) || rawBody.length > 4096) return false;
  const form = parseForm(rawBody.toString('utf8'));
  return form.ssl_check === '1' && form.payload === undefined && form.command === undefined;
}

export function parseSlackBody(contentType: string | undefined, rawBody: Buffer): ParsedBody {
  const text = rawBody.toString('utf8');
  const type = mediaType(contentType);
  if (type === 'application/json') return parseJsonObject(text);
  if (type === 'application/x-www-form-urlencoded') {
    const form = parseForm(text);
    if (form.payload !== undefined) return parseJsonObject(form.payload);
    if (typeof form.command === 'string' || form.ssl_check !== undefined) return { ok: true, body: form };
    return { ok: false, reason: 'form body has neither payload nor command' };
  }
  return { ok: false, reason: `unsupported content type "${type.slice(0, 60)}"` };
}
