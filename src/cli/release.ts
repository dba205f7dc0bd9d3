/**
 * `acr-access release <id> [--timeout 2m] [--json]`: the job's always-run cleanup step ends its grant early. The bot
 * revokes an applied grant (the rule comes off unless another grant still needs it) or withdraws a request still
 * waiting; while the rule is being added it answers 409 and this tries again until the timeout. An empty id (the
 * request step never got one) releases nothing and exits 0, so the cleanup step cannot fail the job for that.
 *
 * Exit: 0 released (or nothing to release), 2 usage, 3 the bot unreachable, 4 refused (token, not this identity's
 * request), 5 timed out.
 */
import { parseArgs } from 'node:util';
import { AccessApi, apiTarget, CliExit, cliDuration, failFrom } from './ci-client.js';
import { EXIT, UsageError, usageOnError, type CliIO } from './io.js';

const USAGE = 'usage: acr-access release <request-id> [--timeout 2m] [--url URL] [--audience URI] [--json]';

export async function run(args: string[], io: CliIO): Promise<number> {
  const parsed = usageOnError(
    () =>
      parseArgs({
        args,
        allowPositionals: true,
        options: {
          timeout: { type: 'string' },
          url: { type: 'string' },
          audience: { type: 'string' },
          json: { type: 'boolean' },
        },
      }),
    USAGE,
  );
  const { values: v, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(`give the request id that acr-access request printed\n${USAGE}`);
  const id = positionals[0]!.trim();
  if (id === '') {
    io.stdout('No request to release.\n');
    return EXIT.ok;
  }
  const timeoutMs = v.timeout === undefined ? 120_000 : cliDuration(v.timeout);
  if (timeoutMs === null) throw new UsageError(`--timeout must be a duration such as 30s or 2m\n${USAGE}`);
  const api = new AccessApi(apiTarget(v, io), io);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const a = await api.call('DELETE', `/api/access-requests/${encodeURIComponent(id)}`);
      if (a.status === 200 || a.status === 202) {
        io.stdout(v.json ? `${JSON.stringify(a.body)}\n` : `Released: ${String(a.body.message)}\n`);
        return EXIT.ok;
      }
      if (a.status !== 409 || Date.now() >= deadline) {
        if (a.status === 409)
          throw new CliExit(EXIT.timeout, `still being applied after ${v.timeout ?? '2m'}: try again`);
        throw failFrom(a, 'the release was');
      }
      await new Promise((r) => setTimeout(r, Math.min(5_000, Math.max(0, deadline - Date.now()))));
    }
  } catch (err) {
    if (!(err instanceof CliExit)) throw err;
    io.stderr(`acr-access release: ${err.message}\n`);
    return err.code;
  }
}
