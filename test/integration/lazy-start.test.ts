/**
 * Start fast and small: a bot loads what is turned on and nothing else. Each case starts the bot from its
 * environment in its own process (test/support/loaded-packages-process.ts) and reads which npm packages it loaded.
 * - SQLite, Slack off, no policy file, no METRICS_PORT or OTLP endpoint: no Slack stack, no PostgreSQL client, no
 *   YAML parser, no OpenTelemetry, and no Azure SDK client (those load on the first Azure call);
 * - PostgreSQL with Slack on, a policy file and METRICS_PORT: Bolt, pg, yaml and the OpenTelemetry SDK are there (so
 *   the check sees them when they load), and the native SQLite module and the OTLP exporters (no endpoint) are not.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackApi, type SlackApiDouble } from '../support/slack-api.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const AZURE_CLIENTS = [
  '@azure/arm-containerregistry',
  '@azure/arm-resourcegraph',
  '@azure/arm-resources-subscriptions',
];

function loadedBy(env: Record<string, string>): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'test/support/loaded-packages-process.ts')],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env },
        timeout: 60_000,
      },
      (err, stdout, stderr) => {
        const line = /^LOADED (.*)$/m.exec(stdout);
        if (err || !line) reject(new Error(`bot did not start: ${err?.message ?? ''}\n${stderr}`));
        else resolve(JSON.parse(line[1]!) as string[]);
      },
    );
  });
}

describe('what a bot loads at start', () => {
  const schema = `acr_lazy_${process.pid}_${randomBytes(4).toString('hex')}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-lazy-'));
  let slack: SlackApiDouble;
  let sqliteOff: Promise<string[]>;
  let postgresOn: Promise<string[]>;

  beforeAll(async () => {
    slack = await startSlackApi();
    const policy = path.join(dir, 'policy.yaml');
    fs.copyFileSync(path.join(ROOT, 'policy.example.yaml'), policy);
    const admin = new pg.Client({ connectionString: URL, connectionTimeoutMillis: 5_000 });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    // Both processes at once: the two cases share the wait.
    sqliteOff = loadedBy({ DATABASE_URL: 'sqlite::memory:' });
    postgresOn = loadedBy({
      DATABASE_URL: `${URL}?options=-c%20search_path%3D${schema}`,
      SLACK_BOT_TOKEN: 'xoxb-lazy-test',
      SLACK_SIGNING_SECRET: 'lazy-test-secret',
      SLACK_API_URL: slack.url,
      POLICY_FILE: policy,
      METRICS_PORT: '0',
    });
    await Promise.allSettled([sqliteOff, postgresOn]);
  }, 90_000);

  afterAll(async () => {
    await slack?.close();
    const admin = new pg.Client({ connectionString: URL, connectionTimeoutMillis: 5_000 });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.end();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('SQLite, Slack off, no policy, metrics and OTLP off: no Slack stack, no pg, no yaml, no OpenTelemetry, no Azure SDK client', async () => {
    const loaded = await sqliteOff;
    expect(loaded).toContain('better-sqlite3');
    expect(loaded).toContain('botbuilder');
    const unwanted = ['@slack/bolt', '@slack/web-api', '@slack/socket-mode', 'pg', 'yaml', ...AZURE_CLIENTS];
    expect(loaded.filter((p) => unwanted.includes(p) || p.startsWith('@opentelemetry/'))).toEqual([]);
  });

  it('PostgreSQL, Slack on, a policy file, METRICS_PORT: their modules, and no native SQLite module', async () => {
    const loaded = await postgresOn;
    expect(loaded).toEqual(
      expect.arrayContaining([
        '@slack/bolt',
        'pg',
        'yaml',
        '@opentelemetry/sdk-metrics',
        '@opentelemetry/exporter-prometheus',
      ]),
    );
    expect(loaded).not.toContain('better-sqlite3');
    expect(loaded.filter((p) => AZURE_CLIENTS.includes(p) || p.includes('otlp'))).toEqual([]);
  });
});
