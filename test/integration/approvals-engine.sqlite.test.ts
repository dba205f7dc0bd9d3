/** The approval engine suite on SQLite: a real database file per test in a temp directory (single process). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createStore } from '../../src/adapters/store/index.js';
import { approvalsSuite } from './approvals.suite.js';

approvalsSuite('SQLite', {
  fresh: async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-approvals-'));
    const file = path.join(dir, 'acr-access.db');
    return {
      open: (clock) => createStore({ kind: 'sqlite', file }, { clock }),
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  },
});
