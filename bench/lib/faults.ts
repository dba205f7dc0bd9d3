/** The ARM emulator's fault control (POST/DELETE /_emulator/faults) over its HTTPS with its own CA. */
import fs from 'node:fs';
import https from 'node:https';
import type { Emulator } from '../../tools/demo.js';

function control(arm: Emulator, method: 'POST' | 'DELETE', body?: unknown): Promise<void> {
  const ca = fs.readFileSync(arm.caPath);
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${arm.url}/_emulator/faults`,
      { method, ca, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () =>
          (res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`emulator ${method} faults: ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Azure answers every GET of the registry `name` after `delayMs` (until cleared). */
export const slowRegistry = (arm: Emulator, name: string, delayMs: number): Promise<void> =>
  control(arm, 'POST', { method: 'GET', pathPattern: `/registries/${name}$`, delayMs, times: null });

export const clearFaults = (arm: Emulator): Promise<void> => control(arm, 'DELETE');
