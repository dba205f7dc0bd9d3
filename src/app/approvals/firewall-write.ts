/**
 * One ARM write of a registry's whole rule set, kept resumable, for both steps (apply-grants, remove-rules):
 * - a settled read to plan from (ARM has no ETag: read until two reads agree, which narrows the window in which a
 *   change made by someone else would be overwritten to the moment between the last read and the PATCH);
 * - the operation on record BEFORE the PATCH (a crash after it still leaves evidence to resolve), its poller state
 *   and correlation id right after ARM accepts it;
 * - the wait (left at once when the worker stops) and a verifying re-read: only what the registry shows decides.
 * It returns what happened and never calls back into the steps; a step records its requests, then closes the
 * operation (close()), so a crash in between resolves the same operation again after a restart.
 */
import { addedBetween, missingRules, presentRules } from '../../core/approvals/index.js';
import { sameRule } from '../../core/ip.js';
import type { RegistrySnapshot } from '../../core/registry.js';
import { AzureError } from '../azure-error.js';
import { systemClock } from '../ports.js';
import type { ApplyOperation } from '../store.js';
import { failureOf, isTransient, isUnresolvable, Stopped, type FailureInfo } from './arm-errors.js';
import { checkpoint, untilStopped } from './attempts.js';
import type { Resolution, Run, WorkerDeps, WriteOutcome } from './worker-types.js';

export interface PlannedWrite {
  kind: ApplyOperation['kind'];
  /** The requests (grants) it is for. */
  ids: string[];
  /** The rules the plan started from, and the complete list to set. */
  before: string[];
  target: string[];
  defaultAction: 'Allow' | 'Deny';
  /** When the read the plan came from was answered (wall clock). */
  readAt: Date;
}

export class FirewallWrite {
  constructor(private readonly deps: WorkerDeps) {}

  /** A read to plan a write from, taken again until two reads agree (at most 3 extra). */
  async settledRead(registryId: string): Promise<{ snapshot: RegistrySnapshot; readAt: Date }> {
    const gateway = this.deps.gateway;
    let fresh = await gateway.readRegistry(registryId);
    for (let i = 0; i < 3; i++) {
      const again = await gateway.readRegistry(registryId);
      const same =
        again.ipRules.length === fresh.ipRules.length &&
        again.ipRules.every((r, j) => r === fresh.ipRules[j]) &&
        again.defaultAction === fresh.defaultAction;
      fresh = again;
      if (same) break;
      this.deps.logger.info({ registryId }, 'the firewall changed between two reads; planning from the newer one');
    }
    return { snapshot: fresh, readAt: systemClock.now() };
  }

  /** Record, PATCH, save the poller, wait and verify. A stop before the PATCH closes the operation and throws. */
  async write(run: Run, w: PlannedWrite): Promise<WriteOutcome> {
    const store = this.deps.store;
    const op = await store.recordOperation({
      registryId: run.registryId,
      kind: w.kind,
      requestIds: w.ids,
      before: w.before,
      target: w.target,
      submitted: { registryId: run.registryId, operationState: '', correlationId: null },
    });
    try {
      checkpoint(run);
    } catch (err) {
      await store.finishOperation(op.id, { status: 'failed', error: 'not submitted: the bot stopped first' });
      throw err;
    }
    const sentAt = systemClock.now();
    let submitted: { operationState: string; correlationId: string | null };
    try {
      submitted = await this.deps.gateway.submitNetworkRules(run.registryId, {
        ipRules: w.target,
        defaultAction: w.defaultAction,
      });
    } catch (err) {
      await store.finishOperation(op.id, { status: 'failed', error: failureOf(err).message });
      return { submitError: err };
    }
    await store.updateOperationState(op.id, submitted.operationState, submitted.correlationId);
    const resolution = await this.resolve(run, { ...op, ...submitted });
    return { resolution, window: { readAt: w.readAt, sentAt } };
  }

  /** Decide an operation from what the registry shows: succeeded, failed (closed), or not known yet (left open). */
  async resolve(run: Run, op: ApplyOperation): Promise<Resolution> {
    const { gateway, store, logger, clock, settings } = this.deps;
    let lro: 'ok' | 'failed' | 'unknown' = 'unknown';
    let lroError: FailureInfo | null = null;
    if (op.operationState !== '') {
      try {
        await untilStopped(
          gateway.waitForUpdate({
            registryId: op.registryId,
            operationState: op.operationState,
            correlationId: op.correlationId,
          }),
          run.stop,
        );
        lro = 'ok';
      } catch (err) {
        if (err instanceof Stopped) return { status: 'pending' };
        if (err instanceof AzureError && err.kind === 'operation_failed') {
          lro = 'failed';
          lroError = failureOf(err);
        } else if (!isUnresolvable(err)) {
          logger.warn(
            { err, operationId: op.id, registryId: op.registryId },
            'could not learn how a firewall change ended; checking again later',
          );
          return { status: 'pending' };
        }
      }
    }
    checkpoint(run);
    let fresh: RegistrySnapshot;
    try {
      fresh = await gateway.readRegistry(op.registryId);
    } catch (err) {
      if (isTransient(err)) return { status: 'pending' };
      const f = failureOf(err);
      await store.finishOperation(op.id, { status: 'failed', error: f.message });
      return { status: 'failed', error: { ...f, retryable: false } };
    }
    if (lro === 'unknown' && fresh.provisioningState.toLowerCase() === 'updating') {
      const age = clock.now().getTime() - Date.parse(op.createdAt);
      if (age < settings.unknownOperationMs) return { status: 'pending' };
    }

    const missing = missingRules(fresh.ipRules, addedBetween(op.before, op.target));
    const removed = op.before.filter((v) => !op.target.some((t) => sameRule(t, v)));
    const lingering = presentRules(fresh.ipRules, removed);
    if (lro !== 'failed' && missing.length === 0 && lingering.length === 0) return { status: 'succeeded', op, fresh };
    const error =
      lroError ??
      ({
        message:
          missing.length > 0
            ? `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not on ${fresh.name} after the change (someone changed its firewall at the same moment?)`
            : `${lingering.join(', ')} ${lingering.length === 1 ? 'is' : 'are'} still on ${fresh.name} after the change`,
        retryable: true,
        retryAfterSeconds: null,
      } satisfies FailureInfo);
    await store.finishOperation(op.id, { status: 'failed', error: error.message });
    logger.warn(
      { operationId: op.id, registryId: op.registryId, missing, lingering, lro },
      'firewall change not confirmed by a re-read',
    );
    return { status: 'failed', error };
  }

  /** The step has recorded what the verified write did: the operation is done. */
  close(op: ApplyOperation): Promise<void> {
    return this.deps.store.finishOperation(op.id, { status: 'succeeded' });
  }
}
