// Each area adds one line here: register('<name>', async () => (await import('./<name>.js')).section);
import { register } from './registry.js';

register('teams', async () => (await import('./teams.js')).section);
register('slack', async () => (await import('./slack.js')).section);
register('chatter', async () => (await import('./chatter.js')).section);
register('startup', async () => (await import('./startup.js')).section);
register('arm', async () => (await import('./arm.js')).section);
register('parse', async () => (await import('./parse.js')).section);

void register;
