/** `POST /api/access-requests`: a CI job asks for its runner's address; 202 with the request's id and status URL. */
import type restify from 'restify';
import { readSubmission, type CiRequests } from '../../app/approvals/index.js';
import { authenticate, readJsonObject, ROUTE, sendJson, sendOutcome, tooLarge, type AuthDeps } from './http.js';

export function mountPost(server: restify.Server, deps: AuthDeps & { ci: CiRequests }): void {
  server.post(ROUTE, async (req: restify.Request, res: restify.Response) => {
    if (tooLarge(req, res)) return;
    const caller = await authenticate(req, res, deps);
    if (!caller) return;
    const body = await readJsonObject(req, res);
    if (!body) return;
    const ask = readSubmission(body);
    if ('invalid' in ask) {
      sendJson(res, 400, { error: 'invalid_request', reason: ask.invalid });
      return;
    }
    sendOutcome(res, await deps.ci.submit(caller, ask), 202);
  });
}
