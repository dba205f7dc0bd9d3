/**
 * `DELETE /api/access-requests/{id}`: the job is done. An applied grant is revoked (its rule comes off unless another
 * grant still needs it), a pending request is withdrawn; 409 with Retry-After while the rule is being added.
 */
import type restify from 'restify';
import type { CiRequests } from '../../app/approvals/index.js';
import { authenticate, ROUTE, sendOutcome, type AuthDeps } from './http.js';

export function mountDelete(server: restify.Server, deps: AuthDeps & { ci: CiRequests }): void {
  server.del(`${ROUTE}/:id`, async (req: restify.Request, res: restify.Response) => {
    const caller = await authenticate(req, res, deps);
    if (!caller) return;
    sendOutcome(res, await deps.ci.release(caller, String(req.params.id ?? '')), 202);
  });
}
