/** `GET /api/access-requests/{id}`: where the caller's own request stands; once applied, its rule and expiry. */
import type restify from 'restify';
import type { CiRequests } from '../../app/approvals/index.js';
import { authenticate, ROUTE, sendOutcome, type AuthDeps } from './http.js';

export function mountGet(server: restify.Server, deps: AuthDeps & { ci: CiRequests }): void {
  server.get(`${ROUTE}/:id`, async (req: restify.Request, res: restify.Response) => {
    const caller = await authenticate(req, res, deps);
    if (!caller) return;
    sendOutcome(res, await deps.ci.status(caller, String(req.params.id ?? '')), 200);
  });
}
