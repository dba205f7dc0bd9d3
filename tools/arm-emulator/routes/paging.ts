/** ARM list paging: `{ value, nextLink }`, the next link absolute and carrying its own api-version and skip token. */
import type { RequestContext } from '../router.js';

export function page<T>(
  ctx: RequestContext,
  items: T[],
  pageSize = ctx.core.settings.pageSize,
): { value: T[]; nextLink?: string } {
  const skip = Math.max(0, Number.parseInt(ctx.query.get('$skipToken') ?? '0', 10) || 0);
  const size = Math.max(1, pageSize);
  const value = items.slice(skip, skip + size);
  if (skip + size >= items.length) return { value };
  const next = new URL(ctx.path, ctx.core.baseUrl);
  for (const [k, v] of ctx.query) if (k !== '$skipToken') next.searchParams.set(k, v);
  next.searchParams.set('$skipToken', String(skip + size));
  return { value, nextLink: next.toString() };
}
