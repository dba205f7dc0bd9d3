/**
 * What the bench sends: a pasted ACR firewall error and a chatter line, as a Teams activity (personal chat or a
 * channel the bot reads through RSC) and as a signed Slack `message` event in a channel. Every message carries new
 * ids, so the once-per-post claim never drops one.
 */
import { signSlackRequest } from '../../src/adapters/slack/verify.js';
import { eventEnvelope, userPost } from '../../test/support/slack-api.js';

/** acmeprod is in the ARM emulator's sample state; 20.61.14.37 is not allowed there (ip_not_allowed). */
export const PASTE =
  'Error response from daemon: Head "https://acmeprod.azurecr.io/v2/payments/api/manifests/1.42.0": denied: client with IP \'20.61.14.37\' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.';

/** An ordinary line of channel talk: no registry, no error. */
export const CHATTER =
  'Morning all, the release train leaves at 14:00 today; please merge the payments changes before lunch and ping me if the staging deploy looks odd.';

export const SLACK_SECRET = 'bench-signing-secret-5c1e';
export const SLACK_TOKEN = 'xoxb-bench-token';

let seq = 0;
const next = (): number => {
  seq += 1;
  return seq;
};

/** A Teams message activity; `channel` puts it in a team channel (not addressed: only a paste is answered). */
export function teamsActivity(serviceUrl: string, text: string, where: 'personal' | 'channel'): string {
  const n = next();
  const conversation =
    where === 'personal'
      ? { id: 'a:bench-personal', conversationType: 'personal', tenantId: 'bench' }
      : { id: `19:bench@thread.tacv2;messageid=17000000${n}`, conversationType: 'channel', tenantId: 'bench' };
  return JSON.stringify({
    type: 'message',
    id: `bench-${process.pid}-${n}`,
    channelId: 'msteams',
    serviceUrl,
    from: { id: '29:bench-user', name: 'Bench User', aadObjectId: '00000000-0000-4000-8000-0000000000be' },
    recipient: { id: '28:bench-bot', name: 'ACR Access' },
    conversation,
    text,
    textFormat: 'plain',
    channelData: {
      tenant: { id: 'bench' },
      ...(where === 'channel'
        ? { team: { id: '19:bench-team@thread.tacv2' }, channel: { id: '19:bench@thread.tacv2' } }
        : {}),
    },
  });
}

/** Headers Slack signs a request with. */
export function slackHeaders(body: string, contentType: string): Record<string, string> {
  const ts = String(Math.floor(Date.now() / 1000));
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': ts,
    'x-slack-signature': signSlackRequest(SLACK_SECRET, ts, body),
  };
}

/** A signed `message` event in a channel, new ts and event id. */
export function slackPost(text: string): { body: string; headers: Record<string, string> } {
  const n = next();
  const ts = `1750000000.${String(n).padStart(6, '0')}`;
  const body = eventEnvelope(userPost({ text, ts }), `EvBench${process.pid}x${n}`);
  return { body, headers: slackHeaders(body, 'application/json') };
}
