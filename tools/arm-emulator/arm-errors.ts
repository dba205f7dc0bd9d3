/**
 * ARM's error envelope `{"error":{"code","message"}}` and the codes ARM uses for each status, so the SDK turns
 * them into the same RestError (`.code`, `.statusCode`, `.details`) it would build from the real service.
 */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export function armError(status: number, code: string, message: string, headers?: Record<string, string>): Reply {
  return { status, body: { error: { code, message } }, ...(headers ? { headers } : {}) };
}

/** The permission ARM would check for a request, e.g. `Microsoft.ContainerRegistry/registries/read`. */
export function actionFor(method: string, pathname: string): string {
  const segs = pathname.split('/').filter(Boolean);
  const p = segs.findIndex((s) => s.toLowerCase() === 'providers');
  let type = 'Microsoft.Resources/subscriptions';
  if (p >= 0 && segs[p + 1]) {
    // Provider namespace, then every other segment is a type name (type/name/type/name…).
    const types = segs.slice(p + 2).filter((_, i) => i % 2 === 0);
    type = [segs[p + 1], ...types].join('/');
  }
  const verb =
    method === 'GET'
      ? 'read'
      : method === 'DELETE'
        ? 'delete'
        : method === 'POST' && /resourcegraph/i.test(type)
          ? 'read'
          : method === 'POST'
            ? 'action'
            : 'write';
  return `${type}/${verb}`;
}

/** A realistic error for a status chosen by a fault (codes as ARM sends them for that status). */
export function defaultErrorFor(status: number, method: string, pathname: string, retryAfterSeconds?: number): Reply {
  const scope = pathname;
  switch (status) {
    case 400:
      return armError(400, 'BadRequest', 'The request is invalid.');
    case 401:
      return armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.');
    case 403:
      return armError(
        403,
        'AuthorizationFailed',
        `The client 'bot@contoso.example' with object id '11111111-2222-3333-4444-555555555555' does not have authorization to perform action '${actionFor(method, pathname)}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      );
    case 404:
      return armError(
        404,
        'ResourceNotFound',
        `The Resource '${scope}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      );
    case 409:
      return armError(409, 'Conflict', 'The request conflicts with an operation in progress on the resource.');
    case 429:
      return armError(
        429,
        'TooManyRequests',
        `Number of '${method === 'GET' ? 'read' : 'write'}' requests exceeded the limit. Please try again after '${retryAfterSeconds ?? 1}' seconds after the time specified in the 'Retry-After' header.`,
      );
    case 500:
      return armError(500, 'InternalServerError', 'Encountered internal server error. The tracking id is emulated.');
    case 502:
      return armError(502, 'BadGateway', 'The gateway received an invalid response from the resource provider.');
    case 503:
      return armError(
        503,
        'ServiceUnavailable',
        'The resource provider is temporarily unavailable. Please retry later.',
      );
    case 504:
      return armError(
        504,
        'GatewayTimeout',
        'The gateway did not receive a response from the resource provider within the specified time period.',
      );
    default:
      return armError(status, `Status${status}`, `Emulated failure with status ${status}.`);
  }
}

export function missingApiVersion(): Reply {
  return armError(
    400,
    'MissingApiVersionParameter',
    'The api-version query parameter (?api-version=) is required for all requests.',
  );
}

export function unsupportedApiVersion(version: string, resourceType: string, supported: readonly string[]): Reply {
  return armError(
    400,
    'NoRegisteredProviderFound',
    `No registered resource provider found for location 'global' and API version '${version}' for type '${resourceType}'. The supported api-versions are '${supported.join(', ')}'.`,
  );
}
