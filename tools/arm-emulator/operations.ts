/**
 * Long-running PATCH operations, as ARM runs them: the PATCH answers 201 with `Azure-AsyncOperation`, the status URL
 * answers `InProgress` for a configurable number of polls and then `Succeeded` (or `Failed`), and the registry's
 * provisioningState moves Updating → Succeeded when the operation ends. Operations can be held InProgress until
 * released, so a test can kill a client in the middle of an apply.
 */
import { randomUUID } from 'node:crypto';
import type { ArmResource, EmulatorState, Json } from './state.js';
import { idKey } from './ids.js';

export interface LroSettings {
  /** Status polls answered InProgress before the operation succeeds (default 2). */
  pollsBeforeDone: number;
  /** `Retry-After` seconds on the 201 and on InProgress statuses (default 1; 0 omits the header). */
  retryAfterSeconds: number;
  /** `async` (201 + Azure-AsyncOperation) or `sync` (200 with the final registry). */
  mode: 'async' | 'sync';
}

export interface Operation {
  id: string;
  registryId: string;
  status: 'InProgress' | 'Succeeded' | 'Failed';
  polls: number;
  held: boolean;
  startTime: string;
  endTime?: string;
  error?: { code: string; message: string };
  /** What the PATCH replaced, restored if the operation fails. */
  previous: { networkRuleSet: Json | undefined };
  failWith?: { code: string; message: string };
}

export class Operations {
  readonly settings: LroSettings;
  private ops = new Map<string, Operation>();
  private holdNew = false;
  private failNextWith: { code: string; message: string } | null = null;
  private waiters: ((op: Operation) => void)[] = [];

  constructor(
    private readonly state: EmulatorState,
    settings: Partial<LroSettings> = {},
  ) {
    this.settings = { pollsBeforeDone: 2, retryAfterSeconds: 1, mode: 'async', ...settings };
  }

  start(registry: ArmResource, previousRuleSet: Json | undefined): Operation {
    const op: Operation = {
      id: `registries-${randomUUID()}`,
      registryId: registry.id,
      status: 'InProgress',
      polls: 0,
      held: this.holdNew,
      startTime: new Date().toISOString(),
      previous: { networkRuleSet: previousRuleSet },
      ...(this.failNextWith ? { failWith: this.failNextWith } : {}),
    };
    this.failNextWith = null;
    this.ops.set(op.id.toLowerCase(), op);
    for (const w of this.waiters.splice(0)) w(op);
    return op;
  }

  get(id: string): Operation | undefined {
    return this.ops.get(id.toLowerCase());
  }

  list(): Operation[] {
    return [...this.ops.values()].map((o) => ({ ...o }));
  }

  inProgressFor(registryId: string): Operation | undefined {
    return [...this.ops.values()].find((o) => o.status === 'InProgress' && idKey(o.registryId) === idKey(registryId));
  }

  /** Answers one status poll, finishing the operation when its polls are used up and it is not held. */
  poll(op: Operation): Operation {
    if (op.status !== 'InProgress') return op;
    op.polls += 1;
    if (op.held || op.polls <= this.settings.pollsBeforeDone) return op;
    this.finish(op);
    return op;
  }

  private finish(op: Operation): void {
    const registry = this.state.registryByNameOrId(op.registryId);
    op.endTime = new Date().toISOString();
    if (op.failWith) {
      op.status = 'Failed';
      op.error = op.failWith;
      if (registry?.properties) {
        if (op.previous.networkRuleSet === undefined) delete registry.properties.networkRuleSet;
        else registry.properties.networkRuleSet = op.previous.networkRuleSet;
        registry.properties.provisioningState = 'Failed';
      }
      return;
    }
    op.status = 'Succeeded';
    if (registry?.properties) registry.properties.provisioningState = 'Succeeded';
  }

  /** Keep new operations (and those now running, optionally for one registry) InProgress until released. */
  hold(registryId?: string): void {
    if (!registryId) this.holdNew = true;
    for (const op of this.ops.values()) {
      if (op.status === 'InProgress' && (!registryId || idKey(op.registryId) === idKey(registryId))) op.held = true;
    }
  }

  /** Let held operations finish at their next poll; new operations are no longer held. */
  release(registryId?: string): void {
    if (!registryId) this.holdNew = false;
    for (const op of this.ops.values()) {
      if (!registryId || idKey(op.registryId) === idKey(registryId)) op.held = false;
    }
  }

  /** The next operation started ends `Failed` with this error (after its InProgress polls). */
  failNext(
    error: { code: string; message: string } = {
      code: 'InternalServerError',
      message: 'The operation failed in the emulator.',
    },
  ): void {
    this.failNextWith = error;
  }

  /** Resolves with the next operation started (or the newest InProgress one if `includeRunning`). */
  nextStarted(options: { includeRunning?: boolean; timeoutMs?: number } = {}): Promise<Operation> {
    if (options.includeRunning) {
      const running = [...this.ops.values()].filter((o) => o.status === 'InProgress').at(-1);
      if (running) return Promise.resolve(running);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        reject(new Error('no long-running operation started in time'));
      }, options.timeoutMs ?? 10_000);
      const done = (op: Operation): void => {
        clearTimeout(timer);
        resolve(op);
      };
      this.waiters.push(done);
    });
  }

  reset(): void {
    this.ops.clear();
    this.holdNew = false;
    this.failNextWith = null;
  }
}
