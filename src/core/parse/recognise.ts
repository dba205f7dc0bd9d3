/**
 * Per-kind recognisers (the finding kinds of core/finding.ts; the messages and the az acr check-health codes are
 * listed with their sources in docs/azure.md, "Error messages"). Each one is a list of lower-case anchor phrases
 * (found in one pass by matcher.ts), and a check that reads a bounded slice around the anchor to confirm the error,
 * reject look-alikes and pick the kind. Network and firewall recognisers live in recognise-network.ts, the rest in
 * recognise-access.ts; what they share in recognise-support.ts.
 */
import * as A from './recognise-access.js';
import * as N from './recognise-network.js';
import type { Recogniser } from './recognise-support.js';

export type { Recogniser, Site } from './recognise-support.js';

/** All recognisers; `az acr`'s `Response code: 401/403` lines are split between `unauthorized` and `forbidden`. */
export const RECOGNISERS: readonly Recogniser[] = [
  N.firewall,
  N.forbidden,
  A.unauthorized,
  A.mlRegistryAuth,
  A.accessDenied,
  A.identity,
  A.accessTo,
  N.dns,
  N.timeout,
  N.tls,
  N.connectionPool,
  N.dataEndpoint,
  A.throttled,
  A.manifestUnknown,
  A.disallowed,
];
