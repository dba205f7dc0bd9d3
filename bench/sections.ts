// Each area adds one line here: register('<name>', async () => (await import('./<name>.js')).section);
import { register } from './registry.js';

register('teams', async () => (await import('./teams.js')).section);

void register;
