/**
 * The `/api/messages` body: read up to a limit and parsed as JSON, or the status to answer (413 over the limit, 400
 * for anything that is not JSON). It replaces restify's bodyReader and jsonBodyParser plugins on this route: they
 * built the body with the deprecated `new Buffer()` (Node then checks, on every request, whether to warn) and kept a
 * second copy of it, which together cost more of a Teams turn than any of our own parsing.
 */
import type { IncomingMessage } from 'node:http';

export type BodyRead = { ok: true; body: unknown } | { ok: false; status: 400 | 413; reason: string };

/** `application/json`, any `+json` type, with or without parameters (charset). */
function isJson(contentType: string | undefined): boolean {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return media === 'application/json' || media.endsWith('+json');
}

export function readJsonBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const tooLarge: BodyRead = { ok: false, status: 413, reason: `body over ${limit} bytes` };
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve(tooLarge);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('error', reject);
    req.once('end', () => {
      req.removeListener('data', onData);
      if (size > limit) return resolve(tooLarge);
      if (!isJson(req.headers['content-type'])) return resolve({ ok: false, status: 400, reason: 'body is not JSON' });
      try {
        resolve({ ok: true, body: JSON.parse(Buffer.concat(chunks, size).toString('utf8')) as unknown });
      } catch {
        resolve({ ok: false, status: 400, reason: 'body is not valid JSON' });
      }
    });
  });
}
