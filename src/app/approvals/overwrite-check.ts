/**
 * Noticing the race that cannot be closed. ARM has no ETag for registries, so a change someone else makes between
 * the bot's last read and its PATCH is replaced by the PATCH (the settled read only makes that window short). After
 * each verified write this reads the registry's Activity Log for that window (with a little slack for clock skew);
 * a write by anyone else in it goes to the audit log and to the approvers, with what the log knows: who, when, the
 * operation and its correlation id. The log lags the writes it records, so when the first look finds nothing it
 * looks once more later (settings.activityLogRecheckMs), in this process only: a restart in between forgets it.
 */
import { writesByOthers } from '../../core/approvals/index.js';
import type { RegistryWrite } from '../ports.js';
import type { ApplyOperation } from '../store.js';
import type { Ctx } from './deps.js';
import type { WorkerNews } from './worker-news.js';
import type { WorkerDeps, WriteWindow } from './worker-types.js';

/** Clocks differ a little between this host and Azure: the window is widened by this much on each side. */
const SKEW_MS = 1_000;

export class OverwriteCheck {
  private readonly later = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly ctx: Pick<Ctx, 'background'>,
    private readonly news: WorkerNews,
  ) {}

  /** After a verified write of `op`, planned from a read at `window.readAt` and sent at `window.sentAt`. */
  check(op: ApplyOperation, window: WriteWindow): void {
    this.ctx.background('activity log check', async () => {
      if (await this.look(op, window)) return;
      const delay = this.deps.settings.activityLogRecheckMs;
      if (delay <= 0 || this.stopped) return;
      const timer = setTimeout(() => {
        this.later.delete(timer);
        if (!this.stopped) this.ctx.background('activity log check', () => this.look(op, window));
      }, delay);
      timer.unref?.();
      this.later.add(timer);
    });
  }

  /** No more looks (the bot is stopping); ones already running finish with the approval flow's other side effects. */
  stop(): void {
    this.stopped = true;
    for (const t of this.later) clearTimeout(t);
    this.later.clear();
  }

  /** True when the log answered with writes by others (reported), false when it found none or could not be read. */
  private async look(op: ApplyOperation, window: WriteWindow): Promise<boolean> {
    const { gateway, store, logger, clock } = this.deps;
    const span = { from: new Date(window.readAt.getTime() - SKEW_MS), to: new Date(window.sentAt.getTime() + SKEW_MS) };
    let logged: RegistryWrite[];
    try {
      logged = await gateway.registryWrites(op.registryId, span);
    } catch (err) {
      logger.warn(
        { err, registryId: op.registryId, operationId: op.id },
        'could not read the Activity Log after a write',
      );
      return false;
    }
    const others = writesByOthers(logged, op.correlationId);
    if (others.length === 0) return false;
    const [request] = await store.getRequests(op.requestIds);
    const name = request?.registry.name ?? op.registryId;
    const who = others.map((w) => `${w.caller ?? 'an unknown caller'} at ${w.at} (${w.status})`).join('; ');
    const text =
      `${name}'s firewall was written by ${who}, between the bot's last read of its rules (${window.readAt.toISOString()}) ` +
      `and its own write (${window.sentAt.toISOString()}, correlation id ${op.correlationId ?? 'unknown'}). ARM replaces ` +
      'the whole rule set and cannot refuse a write made from an older read, so that change may have been overwritten. ' +
      "Compare the registry's rules with what that person meant to set, and put back anything missing.";
    await store.appendAudit({
      at: clock.now().toISOString(),
      type: 'concurrent_write',
      requestId: null,
      registryId: op.registryId,
      registryName: request?.registry.name ?? null,
      rule: null,
      actor: null,
      fromStatus: null,
      toStatus: null,
      before: op.before,
      after: op.target,
      correlationId: op.correlationId,
      summary: text,
      details: {
        operationId: op.id,
        operationKind: op.kind,
        requestIds: op.requestIds,
        window: { readAt: window.readAt.toISOString(), sentAt: window.sentAt.toISOString() },
        writes: others,
      },
    });
    logger.warn(
      { registryId: op.registryId, operationId: op.id, writes: others },
      'someone else wrote the registry between our read and our write; their change may have been overwritten',
    );
    if (request) this.news.overwriteSuspected(request, text);
    return true;
  }
}
