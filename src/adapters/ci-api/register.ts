/**
 * The access API for CI jobs on the bot's one server (the README's "Access API"): three routes, each in its own file,
 * sharing one token check. Mounted by the composition root only when `CI_AUTH_AUDIENCE` is set.
 */
import type restify from 'restify';
import type { CiRequests } from '../../app/approvals/index.js';
import type { CiApiConfig } from '../../config-ci.js';
import type { Logger } from '../../log.js';
import { CiTokenVerifier } from './ci-token.js';
import { mountDelete } from './delete-request.js';
import { mountGet } from './get-request.js';
import { OpenIdIssuer } from './openid.js';
import { mountPost } from './post-request.js';

export function registerCiApi(
  server: restify.Server,
  options: {
    settings: CiApiConfig;
    ci: CiRequests;
    /** The CI platforms' token issuers the policy names (the only ones whose keys are ever fetched). */
    ciIssuers: readonly string[];
    logger: Logger;
  },
): void {
  const deps = {
    settings: options.settings,
    entra: new OpenIdIssuer(options.settings.metadataUrl),
    ciTokens: new CiTokenVerifier(options.ciIssuers, options.settings.audiences),
    logger: options.logger,
    ci: options.ci,
  };
  mountPost(server, deps);
  mountGet(server, deps);
  mountDelete(server, deps);
}
