/**
 * Path matching the way ARM does it: literal segments compare case-insensitively, `{param}` segments capture the
 * (URL-decoded) value as sent, and each route names the api-versions it accepts.
 */
import type { Reply } from './arm-errors.js';
import { missingApiVersion, unsupportedApiVersion } from './arm-errors.js';
import type { EmulatorCore } from './core.js';

export interface RequestContext {
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  core: EmulatorCore;
}

export interface Route {
  method: string;
  pattern: string;
  /** The resource type named in api-version errors, e.g. `registries`. */
  resourceType: string;
  apiVersions: readonly string[];
  handle(ctx: RequestContext): Reply | Promise<Reply>;
}

function segments(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

export function matchRoute(route: Route, method: string, path: string): Record<string, string> | null {
  if (route.method !== method) return null;
  const want = segments(route.pattern);
  const got = segments(path);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith('{') && w.endsWith('}')) {
      try {
        params[w.slice(1, -1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w.toLowerCase() !== g.toLowerCase()) return null;
  }
  return params;
}

/** null when the api-version is acceptable, else ARM's error. */
export function checkApiVersion(route: Route, query: URLSearchParams): Reply | null {
  const v = query.get('api-version');
  if (!v) return missingApiVersion();
  if (!route.apiVersions.includes(v)) return unsupportedApiVersion(v, route.resourceType, route.apiVersions);
  return null;
}
