/**
 * Load on one server for a fixed time, with what each row needs measured around it: requests answered per second,
 * latency, replies that reached the doubles, and the server's CPU time (user + system from /proc) per message, the
 * figure least disturbed by other load on a shared machine.
 */
import type { SlackApiDouble } from '../../test/support/slack-api.js';
import type { Connector } from './connector.js';
import { load } from './load.js';
import { slackPost, teamsActivity } from './messages.js';
import { cpuMs, type Child } from './proc.js';
import { pct, sleep } from './stats.js';

export interface Run {
  /** 2xx answers per second. */
  rps: number;
  p99: number;
  bad: number;
  /** Replies that reached the double per 2xx request (Teams: connector POSTs; Slack: chat.postMessage calls). */
  repliesPerRequest: number;
  /** Replies that reached the double inside the load window, per second (Slack's "answered events"). */
  answeredPerSecond: number;
  /** Server CPU per 2xx request (chatter) or per reply (when the messages are answered). */
  cpuMsPerMessage: number;
  /** Slack Web API calls of any kind per request (chatter must make none). */
  slackCallsPerRequest: number;
}

export interface Target {
  pid: number;
  port: number;
}

/**
 * One message, waited for (bounded): before a timed warm-up, so that a paste's one-off costs (loading the Azure SDK,
 * the first Resource Graph search) are paid before any window, however loaded the machine is.
 */
export async function prime(
  platform: 'teams' | 'slack',
  server: Target,
  doubles: { connector: Connector; slack: SlackApiDouble },
  text: string,
  answered: boolean,
): Promise<void> {
  const posts = doubles.slack.callsTo('chat.postMessage').length;
  const req =
    platform === 'teams'
      ? {
          body: teamsActivity(doubles.connector.serviceUrl, text, answered ? 'personal' : 'channel'),
          headers: { 'content-type': 'application/json' },
        }
      : slackPost(text);
  const path = platform === 'teams' ? 'api/messages' : 'slack/events';
  const r = await fetch(`http://127.0.0.1:${server.port}/${path}`, {
    method: 'POST',
    ...req,
    signal: AbortSignal.timeout(60_000),
  });
  await r.arrayBuffer();
  if (r.status !== 200) throw new Error(`${platform}: the first message was answered ${r.status}`);
  if (platform === 'slack' && answered) await doubles.slack.waitFor('chat.postMessage', posts + 1, 60_000);
}

/** The pid and port of a started server. */
export function targetOf(child: Child): Target {
  return { pid: child.proc.pid ?? -1, port: child.port };
}

export async function teamsLoad(
  server: Target,
  connector: Connector,
  text: string,
  where: 'personal' | 'channel',
  seconds: number,
  answered: boolean,
): Promise<Run> {
  const before = connector.posts();
  const cpu0 = cpuMs(server.pid);
  const r = await load({
    url: `http://127.0.0.1:${server.port}/api/messages`,
    seconds,
    next: () => ({
      body: teamsActivity(connector.serviceUrl, text, where),
      headers: { 'content-type': 'application/json' },
    }),
  });
  const cpu1 = cpuMs(server.pid);
  await sleep(100);
  const replies = connector.posts() - before;
  const per = answered ? replies : r.ok;
  return {
    rps: r.ok / r.seconds,
    p99: pct(r.latencies, 0.99),
    bad: r.bad,
    repliesPerRequest: r.ok > 0 ? replies / r.ok : 0,
    answeredPerSecond: replies / r.seconds,
    cpuMsPerMessage: per > 0 ? (cpu1 - cpu0) / per : Number.NaN,
    slackCallsPerRequest: 0,
  };
}

export async function slackLoad(
  server: Target,
  api: SlackApiDouble,
  text: string,
  seconds: number,
  answered: boolean,
): Promise<Run> {
  const callsBefore = api.calls.length;
  const postsBefore = api.callsTo('chat.postMessage').length;
  const cpu0 = cpuMs(server.pid);
  const t0 = performance.now();
  const r = await load({
    url: `http://127.0.0.1:${server.port}/slack/events`,
    seconds,
    next: () => slackPost(text),
  });
  const t1 = performance.now();
  const cpu1 = cpuMs(server.pid);
  // Answers still in flight after the window count for the CPU figure, not for the rate.
  await sleep(300);
  const posts = api.callsTo('chat.postMessage').slice(postsBefore);
  const inWindow = posts.filter((c) => c.at <= t1).length;
  const per = answered ? inWindow : r.ok;
  return {
    rps: r.ok / r.seconds,
    p99: pct(r.latencies, 0.99),
    bad: r.bad,
    repliesPerRequest: r.ok > 0 ? posts.length / r.ok : 0,
    answeredPerSecond: inWindow / ((t1 - t0) / 1000),
    cpuMsPerMessage: per > 0 ? (cpu1 - cpu0) / per : Number.NaN,
    slackCallsPerRequest: r.ok > 0 ? (api.calls.length - callsBefore) / r.ok : 0,
  };
}
