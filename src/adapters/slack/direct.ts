/**
 * `message` events in HTTP mode go from the receiver straight to the post handler, not through Bolt's dispatch.
 *
 * Nearly every request the bot gets is a channel message, and most are chatter. For each, Bolt builds its whole
 * dispatch (authorisation, context, a client lookup, say/respond helpers) and runs its built-in middleware and the
 * middleware of every registered listener: 28 % of the CPU of a chatter message when profiled (docs/performance.md),
 * against a bare Bolt app with two listeners. Here, what Bolt does for a `message` event is done directly and in the
 * same order: acknowledged first (Bolt acks an event before any middleware), then the team gate (the same function
 * as Bolt's global middleware), then the post handler with the Web API client Bolt would have handed the listener
 * (one per workspace, carrying its team id, as Bolt's client pool), a failure logged as `app.error` logs it.
 * Everything else (`app_mention`, commands, clicks, forms) and Socket Mode still goes through Bolt.
 */
import { type App, asCodedError, type CodedError, webApi } from '@slack/bolt';
import type { SlackBody } from './body.js';
import type { SlackMessageEvent } from './incoming.js';
import type { PostHandler } from './posts.js';
import type { TeamGate } from './team-gate.js';

/** The work for a body the receiver should hand over after acknowledging it, or null to leave it to Bolt. */
export type DirectRoute = (body: SlackBody) => (() => Promise<void>) | null;

type Authorization = { team_id?: string | null; enterprise_id?: string | null };

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The workspace and organisation Bolt would authorise an event for (its `buildSource` for events). */
function sourceOf(body: SlackBody): { teamId?: string; enterpriseId?: string } {
  const first = Array.isArray(body.authorizations) ? (body.authorizations[0] as Authorization | undefined) : undefined;
  const teamId = first && first.team_id !== null ? str(first.team_id) : str(body.team_id);
  const enterpriseId = first ? (str(first.enterprise_id) ?? undefined) : str(body.enterprise_id);
  return { ...(teamId ? { teamId } : {}), ...(enterpriseId ? { enterpriseId } : {}) };
}

export function directMessages(deps: {
  app: App;
  token: string;
  admits: TeamGate;
  onPost: PostHandler;
  /** What `app.error` is given: a listener's failure. */
  onError: (error: CodedError) => Promise<void>;
}): DirectRoute {
  const { app, token, admits, onPost, onError } = deps;
  const clients = new Map<string, webApi.WebClient>();
  /** Bolt's choice of client: pooled per team id (which it adds to every call), else per organisation. */
  const clientFor = (body: SlackBody): webApi.WebClient => {
    const { teamId, enterpriseId } = sourceOf(body);
    const key = teamId ?? enterpriseId;
    if (key === undefined) return app.client;
    let client = clients.get(key);
    if (!client) {
      client = new webApi.WebClient(token, { ...app.webClientOptions, ...(teamId ? { teamId } : {}) });
      clients.set(key, client);
    }
    return client;
  };

  return (body) => {
    const event = body.event as SlackMessageEvent | undefined;
    if (body.type !== 'event_callback' || typeof event !== 'object' || event === null || event.type !== 'message')
      return null;
    return async () => {
      if (!admits(body)) return;
      try {
        await onPost(event, str(body.team_id), clientFor(body));
      } catch (err) {
        await onError(asCodedError(err instanceof Error ? err : new Error(String(err))));
      }
    };
  };
}
