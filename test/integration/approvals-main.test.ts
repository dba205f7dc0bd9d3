/**
 * The approval flow in the composition root: a policy file that does not validate stops the start with file:line
 * problems; the start-up log line says whether approvals are on and why; stop() ends the workers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PolicyError } from '../../src/adapters/policy/load.js';
import { createLogger } from '../../src/log.js';
import { startBot } from '../../src/main.js';
import { DEMO_POLICY_FILE } from '../../tools/demo.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-approvals-main-'));
const BASE = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', DATABASE_URL: 'sqlite::memory:' };

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function startLine(env: Record<string, string>): Promise<Record<string, unknown>> {
  const lines: string[] = [];
  const bot = await startBot({ ...BASE, ...env }, createLogger('info', { write: (l: string) => void lines.push(l) }));
  await bot.stop();
  const start = lines
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((l) => String(l.msg).startsWith('acr-access-bot listening'));
  if (!start) throw new Error(`no start line in:\n${lines.join('')}`);
  return start;
}

describe('approvals in startBot', () => {
  it('a policy file with problems stops the start, naming file, line and key', async () => {
    const bad = path.join(dir, 'policy.yaml');
    fs.writeFileSync(bad, 'version: 1\ndefaults:\n  approvers: [alice@contoso.com]\n  minApprovals: 0\n');
    const err = await startBot({ ...BASE, POLICY_FILE: bad }, createLogger('silent')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyError);
    expect((err as PolicyError).problems.join('\n')).toMatch(/^policy\.yaml:4: defaults\.minApprovals /m);
  });

  it('says at start whether approvals are on (with the policy) or off (and why)', async () => {
    expect((await startLine({ POLICY_FILE: DEMO_POLICY_FILE })).approvals).toBe(`on: policy ${DEMO_POLICY_FILE}`);
    expect(String((await startLine({})).approvals)).toMatch(/^off: no POLICY_FILE, so every access request is refused/);
  });
});
