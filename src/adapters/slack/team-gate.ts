/**
 * Slack events, commands, clicks and form submissions from outside the allowed workspaces stop here, before any
 * listener: a Bolt global middleware, so it guards HTTP and Socket Mode alike. Every team id a body carries counts
 * (the workspace it was sent from and the user's own team, which differ for a Slack Connect guest); an Enterprise
 * Grid organisation id in the allow-list admits all its workspaces. A refused command or click is acknowledged with
 * why (the person alone sees it); a refused event is dropped. Logged either way, with the ids. In HTTP mode the
 * receiver takes `message` events before Bolt (direct.ts) and asks the same gate.
 */
import type { App } from '@slack/bolt';
import { fromAllowedOrganisation, OTHER_ORGANISATION, type Origin } from '../../core/organisation.js';
import type { Logger } from '../../log.js';
import { renderReply } from './render/index.js';

type Body = Record<string, unknown>;

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function rec(v: unknown): Body {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Body) : {};
}

/** The teams a Slack body says it comes from, and its Enterprise Grid organisation. */
export function originOf(body: Body): Origin {
  const event = rec(body.event);
  const ids = [
    str(body.team_id), // Events API envelope, slash command
    str(rec(body.team).id), // block_actions, view_submission
    str(rec(body.user).team_id), // the clicker's own team
    str(event.team), // a message's author's team
    str(event.user_team), // Slack Connect: the author's home team
  ].filter((t): t is string => t !== null);
  const parent = str(body.enterprise_id) ?? str(rec(body.enterprise).id) ?? null;
  return { ids: [...new Set(ids)], parent };
}

/** Whether a body may reach the listeners; a refusal is logged with the ids. */
export type TeamGate = (body: Body) => boolean;

export function createTeamGate(allowed: readonly string[] | 'any', logger: Logger): TeamGate {
  if (allowed === 'any') return () => true;
  return (body) => {
    const origin = originOf(body);
    if (fromAllowedOrganisation(origin, allowed)) return true;
    logger.warn(
      { teams: origin.ids, enterprise: origin.parent ?? null, type: str(body.type) ?? str(body.command) },
      'slack request from a workspace outside SLACK_ALLOWED_TEAMS refused',
    );
    return false;
  };
}

/** The gate as a Bolt global middleware (HTTP mode calls it itself for the `message` events it takes directly). */
export function registerTeamGate(app: App, admits: TeamGate): void {
  app.use(async (args) => {
    const body = args.body as unknown as Body;
    if (admits(body)) return args.next();
    const ack = 'ack' in args ? (args.ack as ((response?: unknown) => Promise<void>) | undefined) : undefined;
    if (!ack) return; // events were acknowledged by Bolt already
    if (typeof body.command === 'string') {
      const { text, blocks } = renderReply(OTHER_ORGANISATION);
      await ack({ response_type: 'ephemeral', text, blocks });
    } else await ack();
  });
}
