/**
 * CI jobs request registry access with their workload identity, end to end on real parts: the bot from startBot
 * (restify, the access API, the approval engine, the Azure gateway against the ARM emulator over HTTPS, a SQLite file,
 * the YAML policy), a local Entra ID tenant and CI token issuer (test/support/entra-issuer.ts), Slack for the
 * approvers (signed requests, the local Slack API double), and the real CLI (`node dist/cli/main.js request|release`)
 * getting its token through DefaultAzureCredential's workload identity flow and its address from the emulator's
 * registry data endpoint.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { startBot, type RunningBot } from '../../src/main.js';
import { gatewayFor, testClock } from '../support/azure.js';
import { startEmulator, type ArmEmulator } from '../support/emulator.js';
import {
  API_AUDIENCE,
  caBundle,
  OTHER_TENANT,
  startLocalTenant,
  TENANT,
  tmpDir,
  type App,
  type LocalTenant,
} from '../support/entra-issuer.js';
import { approvalClickBody, postSigned, startSlackApi, type SlackApiDouble } from '../support/slack-api.js';
import { ensureBuilt, runCli } from './cli-support.js';

const SECRET = 'ci-api-signing-secret-1a2b3c';
const CAROL = 'U0CAROL1';
const APPROVERS_CHANNEL = 'C0APPROVE';
const RUNNER_IP = '4.210.120.33'; // AzureCloud.westeurope only, as a hosted runner's address is
const SUBJECT = 'repo:contoso/payments:ref:refs/heads/main';
const AUTO: App = {
  appId: '3f0c2b1a-8d7e-4c6b-9a5f-1e2d3c4b5a69',
  objectId: '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d',
  subjects: [SUBJECT],
};
const GATED: App = {
  appId: '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a',
  objectId: '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
  subjects: [SUBJECT],
};
const STRANGER: App = {
  appId: '11112222-3333-4444-8555-666677778888',
  objectId: '99990000-aaaa-4bbb-8ccc-ddddeeeeffff',
  subjects: [],
};

let dir: string;
let emu: ArmEmulator;
let tenant: LocalTenant;
let api: SlackApiDouble;
let bot: RunningBot;
let base: string;
let cliEnv: Record<string, string>;
const clock = testClock(Date.parse('2026-03-02T09:00:00Z'));

const rules = () =>
  (
    emu.state.registry('acmeprod')!.properties as { networkRuleSet: { ipRules: Array<{ value: string }> } }
  ).networkRuleSet.ipRules.map((r) => r.value);
const hasRunnerRule = () => rules().some((v) => v === RUNNER_IP || v === `${RUNNER_IP}/32`);

async function call(
  method: string,
  p: string,
  init: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } : {}),
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json().catch(() => ({}))) as Record<string, unknown>,
  };
}

const ask = { registry: 'acmeprod', ip: RUNNER_IP, duration: '30m', reason: 'build 42 pushes payments-api' };

async function rowCounts() {
  return {
    requests: (await bot.store.listRequests({ limit: 1000 })).length,
    audit: (await bot.store.listAudit({})).length,
  };
}

beforeAll(async () => {
  dir = tmpDir('acr-ci-api-');
  emu = await startEmulator({ lro: { pollsBeforeDone: 1, retryAfterSeconds: 0 } });
  emu.settings.clientAddress = RUNNER_IP;
  tenant = await startLocalTenant([AUTO, GATED, STRANGER]);
  api = await startSlackApi({ users: { [CAROL]: { name: 'Carol Approver', email: 'carol@contoso.com' } } });
  const policyFile = path.join(dir, 'policy.yaml');
  fs.writeFileSync(
    policyFile,
    `version: 1
defaults:
  approvers:
    - slack:${CAROL}
  minApprovals: 1
  duration:
    default: 4h
    max: 1d
  notify:
    channels:
      - slack: ${APPROVERS_CHANNEL}
    directMessages: false
ci:
  identities:
    - name: payments-ci
      appId: ${AUTO.appId}
      subject: "${SUBJECT}"
      issuer: ${tenant.ciIssuer}
      registries: ["acmeprod"]
      approval: auto
    - name: release-pipelines
      objectId: ${GATED.objectId}
      registries: ["acmeprod"]
      approval: approvers
`,
  );
  bot = await startBot(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DATABASE_URL: `sqlite:${path.join(dir, 'bot.db')}`,
      POLICY_FILE: policyFile,
      SLACK_BOT_TOKEN: 'xoxb-ci-api-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: api.url,
      CI_AUTH_AUDIENCE: API_AUDIENCE,
      CI_AUTH_TENANT_ID: TENANT,
      CI_AUTH_OPENID_METADATA: tenant.metadataUrl,
    },
    createLogger('silent'),
    {
      gateway: gatewayFor(emu),
      clock,
      approvals: { debounceMs: 20, retryBaseMs: 10, retryMaxMs: 50, lockTimeoutMs: 20_000, stopTimeoutMs: 5_000 },
    },
  );
  base = `http://127.0.0.1:${bot.port}`;
  const federated = path.join(dir, 'federated-token');
  fs.writeFileSync(federated, await tenant.ciToken({ subject: SUBJECT }));
  cliEnv = {
    ACR_ACCESS_URL: base,
    ACR_ACCESS_AUDIENCE: API_AUDIENCE,
    ACR_ACCESS_REGISTRY_ENDPOINT: `${emu.url}/_data/{loginServer}`,
    AZURE_TENANT_ID: TENANT,
    AZURE_FEDERATED_TOKEN_FILE: federated,
    AZURE_AUTHORITY_HOST: tenant.authorityHost,
    AZURE_TOKEN_CREDENTIALS: 'WorkloadIdentityCredential',
    NODE_EXTRA_CA_CERTS: caBundle(dir, [tenant.caPem, fs.readFileSync(emu.caPath, 'utf8')]),
    ...tenant.actionsEnv(),
  };
  await ensureBuilt();
}, 180_000);

afterAll(async () => {
  await bot?.stop();
  await api?.close();
  await tenant?.close();
  await emu?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the registry data endpoint', () => {
  it('answers an anonymous /v2/ from an address its firewall refuses with the real DENIED body, and an admitted one with the Bearer challenge', async () => {
    const denied = await runCliProbe();
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({
      errors: [
        {
          code: 'DENIED',
          message: `client with IP '${RUNNER_IP}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`,
        },
      ],
    });
    emu.settings.clientAddress = '203.0.113.10'; // listed on acmeprod
    try {
      const admitted = await runCliProbe();
      expect(admitted.status).toBe(401);
      expect(admitted.challenge).toBe(
        'Bearer realm="https://acmeprod.azurecr.io/oauth2/token",service="acmeprod.azurecr.io"',
      );
    } finally {
      emu.settings.clientAddress = RUNNER_IP;
    }
  });
});

/** The probe the CLI makes, from this process (which trusts the emulator through its own https agent). */
async function runCliProbe(): Promise<{ status: number; body: unknown; challenge: string | null }> {
  const https = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = https.get(`${emu.url}/_data/acmeprod.azurecr.io/v2/`, { ca: fs.readFileSync(emu.caPath) }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: JSON.parse(text),
          challenge: (res.headers['www-authenticate'] as string) ?? null,
        }),
      );
    });
    req.on('error', reject);
  });
}

describe('tokens: anything but a valid workload token of the tenant for the bot is 401, with nothing written', () => {
  it('no token, a forged one, an expired one, another audience, another tenant, a user token, a forged CI token: 401 and no row', async () => {
    const before = await rowCounts();
    const tokens: Array<[string, string | undefined, Record<string, string>?]> = [
      ['none', undefined],
      ['forged', await tenant.accessToken({ app: AUTO, key: tenant.attackerKey })],
      ['expired', await tenant.accessToken({ app: AUTO, expiresIn: -600 })],
      ['wrong audience', await tenant.accessToken({ app: AUTO, audience: 'https://management.azure.com' })],
      ['wrong tenant', await tenant.accessToken({ app: AUTO, tenant: OTHER_TENANT })],
      ['user token', await tenant.accessToken({ app: AUTO, extra: { scp: 'access_as_user' } })],
      [
        'forged CI token',
        await tenant.accessToken({ app: AUTO }),
        { 'x-ci-token': await tenant.ciToken({ subject: SUBJECT, audience: API_AUDIENCE, key: tenant.attackerKey }) },
      ],
    ];
    for (const [what, token, headers] of tokens) {
      const res = await call('POST', '/api/access-requests', {
        ...(token ? { token } : {}),
        body: ask,
        headers: headers ?? {},
      });
      expect(res.status, what).toBe(401);
      expect(res.headers.get('www-authenticate'), what).toMatch(/^Bearer/);
      const read = await call('GET', '/api/access-requests/00000000-0000-4000-8000-000000000000', {
        ...(token ? { token } : {}),
        headers: headers ?? {},
      });
      expect(read.status, what).toBe(401);
    }
    expect(await rowCounts()).toEqual(before);
    expect(emu.countRequests({ method: 'PATCH' })).toBe(0);
  });

  it('a bad body is 400, an oversized one 413, another media type 415', async () => {
    const token = await tenant.accessToken({ app: GATED });
    expect((await call('POST', '/api/access-requests', { token, body: '{"registry": ' })).status).toBe(400);
    expect((await call('POST', '/api/access-requests', { token, body: '[1,2]' })).status).toBe(400);
    expect(
      (await call('POST', '/api/access-requests', { token, body: { ...ask, reason: 'x'.repeat(20_000) } })).status,
    ).toBe(413);
    const text = await call('POST', '/api/access-requests', {
      token,
      body: 'registry=acmeprod',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    expect((await call('POST', '/api/access-requests', { token, body: { ...ask, ip: '10.1.2.3' } })).status).toBe(400);
    expect((await rowCounts()).requests).toBe(0);
  });
});

describe('policy: an identity or subject not allowed for the registry gets 403 with the reason, audited', () => {
  it('an identity the policy does not name', async () => {
    const res = await call('POST', '/api/access-requests', {
      token: await tenant.accessToken({ app: STRANGER }),
      body: ask,
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: 'unknown_workload' });
    expect(String(res.body.reason)).toContain(STRANGER.appId);
  });

  it('an allowed identity from another subject, and one with no CI token at all', async () => {
    const token = await tenant.accessToken({ app: AUTO });
    const other = await tenant.ciToken({ subject: 'repo:contoso/payments:pull_request', audience: API_AUDIENCE });
    const res = await call('POST', '/api/access-requests', { token, body: ask, headers: { 'x-ci-token': other } });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('subject_not_allowed');
    expect(String(res.body.reason)).toContain('repo:contoso/payments:pull_request');
    const bare = await call('POST', '/api/access-requests', { token, body: ask });
    expect(bare.status).toBe(403);
    expect(String(bare.body.reason)).toMatch(/no verified CI token/);
  });

  it('an allowed identity for another registry', async () => {
    const res = await call('POST', '/api/access-requests', {
      token: await tenant.accessToken({ app: GATED }),
      body: { ...ask, registry: 'acmehybrid' },
    });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('registry_not_allowed');
    const refused = (await bot.store.listAudit({})).filter((e) => e.type === 'refused');
    expect(refused.length).toBeGreaterThanOrEqual(4);
    const subjectRefusal = refused.find((e) => e.details.subject === 'repo:contoso/payments:pull_request')!;
    expect(subjectRefusal.details.code).toBe('subject_not_allowed');
    expect(subjectRefusal.actor).toMatchObject({
      platform: 'workload',
      id: AUTO.objectId,
      workload: { appId: AUTO.appId, tenantId: TENANT, subject: 'repo:contoso/payments:pull_request' },
    });
    expect((await bot.store.listRequests({ limit: 100 })).length).toBe(0);
    expect(emu.countRequests({ method: 'PATCH' })).toBe(0);
  });
});

describe('the CLI in a CI job', { timeout: 150_000 }, () => {
  let id = '';

  it('auto-approved: `request --wait` reads its address from the registry, the rule is applied and verified, it prints the rule and expiry, exit 0', async () => {
    expect(hasRunnerRule()).toBe(false);
    const r = await runCli(
      ['request', 'acmeprod', '--reason', 'build 42', '--duration', '20m', '--wait', '--interval', '1s'],
      {
        env: { ...cliEnv, AZURE_CLIENT_ID: AUTO.appId },
        timeoutMs: 90_000,
      },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`acmeprod.azurecr.io refuses ${RUNNER_IP}`);
    expect(r.stdout).toMatch(
      new RegExp(`rule: ${RUNNER_IP.replace(/\./g, '\\.')}/32\\nexpires: 2026-03-02T09:20:00\\.000Z`),
    );
    expect(tenant.issued()).toBeGreaterThan(0);
    expect(hasRunnerRule()).toBe(true);
    id = /Request ([0-9a-f-]{36})/.exec(r.stdout)![1]!;
    const request = (await bot.store.getRequest(id))!;
    expect(request).toMatchObject({
      status: 'applied',
      rule: `${RUNNER_IP}/32`,
      durationMs: 20 * 60_000,
      approvals: [],
    });
    expect(request.requester.workload).toMatchObject({
      appId: AUTO.appId,
      subject: SUBJECT,
      source: 'ci.identities[0]',
    });
    const events = (await bot.store.listAudit({})).filter((e) => e.requestId === id).map((e) => e.type);
    expect(events).toEqual(expect.arrayContaining(['requested', 'approved', 'apply_started', 'applied']));
    const approved = (await bot.store.listAudit({})).find((e) => e.requestId === id && e.type === 'approved')!;
    expect(approved.summary).toContain('payments-ci');
    // The card is announced in the approvers' channel like any approval.
    expect(api.callsTo('chat.postMessage').some((c) => c.args.channel === APPROVERS_CHANNEL)).toBe(true);
  });

  it('`release <id>` removes the rule early, exit 0; the registry refuses the runner again', async () => {
    const r = await runCli(['release', id], { env: { ...cliEnv, AZURE_CLIENT_ID: AUTO.appId }, timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    await bot.approvals.idle(20_000);
    expect(hasRunnerRule()).toBe(false);
    const request = (await bot.store.getRequest(id))!;
    expect(request.status).toBe('revoked');
    expect(request.ruleRemovedAt).not.toBeNull();
    const revoked = (await bot.store.listAudit({})).find((e) => e.requestId === id && e.type === 'revoked')!;
    expect(revoked.actor).toMatchObject({ platform: 'workload', workload: { subject: SUBJECT } });
    expect((await runCliProbe()).status).toBe(403);
  });

  it('another identity cannot see or release it (404), and a second release changes nothing', async () => {
    const other = await tenant.accessToken({ app: GATED });
    expect((await call('GET', `/api/access-requests/${id}`, { token: other })).status).toBe(404);
    expect((await call('DELETE', `/api/access-requests/${id}`, { token: other })).status).toBe(404);
    const again = await runCli(['release', id], { env: { ...cliEnv, AZURE_CLIENT_ID: AUTO.appId }, timeoutMs: 60_000 });
    expect(again.code).toBe(0);
    expect((await bot.store.getRequest(id))!.status).toBe('revoked');
  });

  it('needing approval: the card goes to the approvers, an approver approves in Slack, the waiting CLI sees it applied', async () => {
    const posts = api.callsTo('chat.postMessage').length;
    const running = runCli(
      ['request', 'acmeprod', '--reason', 'release 7', '--wait', '--interval', '1s', '--timeout', '2m'],
      {
        env: { ...cliEnv, AZURE_CLIENT_ID: GATED.appId },
        timeoutMs: 120_000,
      },
    );
    const card = (await api.waitFor('chat.postMessage', posts + 1, 60_000))
      .slice(posts)
      .find((c) => c.args.channel === APPROVERS_CHANNEL)!;
    expect(card).toBeDefined();
    expect(JSON.stringify(card.args.blocks)).toContain('release-pipelines');
    const pending = (await bot.store.listRequests({ status: ['pending'], limit: 10 }))[0]!;
    expect(hasRunnerRule()).toBe(false);
    const click = await postSigned(
      `${base}/slack/events`,
      approvalClickBody({
        verb: 'approve',
        requestId: pending.id,
        version: pending.version,
        user: CAROL,
        channel: APPROVERS_CHANNEL,
        messageTs: card.response.ts as string,
        responseUrl: api.responseUrl('carol'),
      }),
      'application/x-www-form-urlencoded',
      { secret: SECRET },
    );
    expect(click.status).toBe(200);
    const r = await running;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`rule: ${RUNNER_IP}/32`);
    expect(hasRunnerRule()).toBe(true);
    expect(await bot.store.getRequest(pending.id)).toMatchObject({
      status: 'applied',
      approvals: [{ by: { id: CAROL } }],
    });
  });

  it('nobody decides before --timeout: the CLI withdraws the request and exits 5, no rule is added', async () => {
    const patches = emu.countRequests({ method: 'PATCH' });
    emu.settings.clientAddress = '4.210.120.34';
    try {
      const r = await runCli(
        ['request', 'acmeprod', '--reason', 'release 8', '--wait', '--interval', '1s', '--timeout', '2s'],
        {
          env: { ...cliEnv, AZURE_CLIENT_ID: GATED.appId },
          timeoutMs: 60_000,
        },
      );
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(/not applied within 2s \(still pending\); the request was withdrawn/);
      const id = /Request ([0-9a-f-]{36})/.exec(r.stdout)![1]!;
      expect((await bot.store.getRequest(id))!.status).toBe('cancelled');
      await bot.approvals.idle(20_000);
      expect(emu.countRequests({ method: 'PATCH' })).toBe(patches);
    } finally {
      emu.settings.clientAddress = RUNNER_IP;
    }
  });

  it('expiry removes a rule nobody released', async () => {
    const applied = (await bot.store.listRequests({ status: ['applied'], limit: 10 }))[0]!;
    clock.advance((applied.durationMs ?? 0) + 60_000);
    await bot.approvals.tick();
    await bot.approvals.idle(20_000);
    expect(hasRunnerRule()).toBe(false);
    expect((await bot.store.getRequest(applied.id))!.status).toBe('expired');
    const status = await call('GET', `/api/access-requests/${applied.id}`, {
      token: await tenant.accessToken({ app: GATED }),
    });
    expect(status.body).toMatchObject({ status: 'expired', rule: `${RUNNER_IP}/32` });
  });
});
