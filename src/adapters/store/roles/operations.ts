/** The operations role: each ARM write on record before it is sent, its poller state, and how it ended. */
import { randomUUID } from 'node:crypto';
import type { ApplyOperation, OperationStore } from '../../../app/store.js';
import { operationFromRow } from '../rows.js';
import type { Shell } from '../shell.js';
import { idKey } from '../../../core/registry-ref.js';

export function operationsRole(shell: Shell): OperationStore {
  const { driver, clock } = shell;
  return {
    async recordOperation(op) {
      const now = clock.now().toISOString();
      const record: ApplyOperation = {
        id: randomUUID(),
        registryId: op.registryId,
        kind: op.kind,
        requestIds: [...op.requestIds],
        status: 'submitted',
        operationState: op.submitted.operationState,
        correlationId: op.submitted.correlationId,
        before: [...op.before],
        target: [...op.target],
        error: null,
        createdAt: now,
        updatedAt: now,
      };
      await driver.tx((sql) =>
        sql.run(
          'INSERT INTO apply_operations (id, registry_id, kind, request_ids, status, operation_state, correlation_id, rules_before, rules_target, error, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [
            record.id,
            record.registryId,
            record.kind,
            JSON.stringify(record.requestIds),
            record.status,
            record.operationState,
            record.correlationId,
            JSON.stringify(record.before),
            JSON.stringify(record.target),
            null,
            now,
            now,
          ],
        ),
      );
      return record;
    },

    async updateOperationState(id, operationState, correlationId) {
      const now = clock.now().toISOString();
      await driver.tx((sql) =>
        correlationId === undefined
          ? sql.run(
              "UPDATE apply_operations SET operation_state = ?, updated_at = ? WHERE id = ? AND status = 'submitted'",
              [operationState, now, id],
            )
          : sql.run(
              "UPDATE apply_operations SET operation_state = ?, correlation_id = ?, updated_at = ? WHERE id = ? AND status = 'submitted'",
              [operationState, correlationId, now, id],
            ),
      );
    },

    async finishOperation(id, result) {
      await driver.tx((sql) =>
        sql.run('UPDATE apply_operations SET status = ?, error = ?, updated_at = ? WHERE id = ?', [
          result.status,
          result.error ?? null,
          clock.now().toISOString(),
          id,
        ]),
      );
    },

    async openOperations(registryId) {
      const rows =
        registryId === undefined
          ? await driver.read("SELECT * FROM apply_operations WHERE status = 'submitted' ORDER BY created_at, id")
          : await driver.read(
              "SELECT * FROM apply_operations WHERE status = 'submitted' AND lower(registry_id) = ? ORDER BY created_at, id",
              [idKey(registryId)],
            );
      return rows.map(operationFromRow);
    },

    async operationForRequest(requestId) {
      // request_ids is a small JSON array; a LIKE on the quoted id narrows the scan portably, the exact check is below.
      const rows = await driver.read(
        `SELECT * FROM apply_operations WHERE ${driver.dialect === 'postgres' ? 'request_ids::text' : 'request_ids'} LIKE ? ORDER BY created_at DESC, id DESC`,
        [`%${JSON.stringify(requestId)}%`],
      );
      return rows.map(operationFromRow).find((op) => op.requestIds.includes(requestId)) ?? null;
    },
  };
}
