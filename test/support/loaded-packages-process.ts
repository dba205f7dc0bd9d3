/**
 * Test helper process (never a product entry point): starts the bot from the environment like `npm start`, prints
 * `LOADED <json>` (the npm packages the process has loaded, by name) and stops it. Lazy-loading tests read it.
 */
import { createRequire } from 'node:module';
import { createLogger } from '../../src/log.js';
import { startBot } from '../../src/main.js';

/** `…/node_modules/@scope/name/…` → `@scope/name` (the innermost node_modules, for nested copies). */
function packageOf(file: string): string | null {
  const at = file.lastIndexOf('/node_modules/');
  if (at < 0) return null;
  const parts = file.slice(at + '/node_modules/'.length).split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

const bot = await startBot(process.env, createLogger('silent'));
const loaded = new Set<string>();
for (const file of Object.keys(createRequire(import.meta.url).cache)) {
  const name = packageOf(file);
  if (name) loaded.add(name);
}
process.stdout.write(`LOADED ${JSON.stringify([...loaded].sort())}\n`);
await bot.stop();
