import { refOf } from '../support/registry-ref.js';
/**
 * The ARM emulator must work inside a process that also runs the bot: restify patches
 * http.ServerResponse.prototype.writeHead for the whole process (it returns undefined), so the emulator may not
 * chain `res.writeHead(...).end()`. The approval-flow tests run both in one process.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHttpServer } from '../../src/server.js';
import { createLogger } from '../../src/log.js';
import { SAMPLE, startEmulator, type ArmEmulator } from '../support/emulator.js';
import { gatewayFor } from '../support/azure.js';

let emu: ArmEmulator;
let bot: ReturnType<typeof createHttpServer>;

beforeAll(async () => {
  // A restify server exists in this process before the emulator answers anything.
  bot = createHttpServer({ logger: createLogger('silent'), readiness: async () => ({}) });
  await bot.listen(0, '127.0.0.1');
  emu = await startEmulator();
});

afterAll(async () => {
  await emu?.close();
  await bot?.close();
});

it('answers the real SDK (bodies and empty responses) with restify loaded in the same process', async () => {
  const gw = gatewayFor(emu);
  const found = await gw.findRegistry(refOf(SAMPLE.acmeprod));
  expect(found.status).toBe('found');
  const snapshot = await gw.readRegistry(SAMPLE.acmeprod);
  expect(snapshot.id.toLowerCase()).toBe(SAMPLE.acmeprod.toLowerCase());
});
