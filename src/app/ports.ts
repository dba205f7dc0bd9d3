import type { IpOwner } from '../core/diagnosis.js';
import type { RegistrySnapshot } from '../core/registry.js';
import type { RegistryRef } from '../core/registry-ref.js';

/** What diagnosis asks Azure about one finding. Any field may be unknown. */
export interface InspectTarget {
  loginServer: string | null;
  registryName: string | null;
  ip: string | null;
}

export type RegistryLookup =
  | { status: 'found'; registry: RegistrySnapshot }
  /** Not visible in any subscription the identity can read. */
  | { status: 'not_found'; searchedSubscriptions: number }
  /** Visible (e.g. in Resource Graph) but reading it was refused. */
  | { status: 'no_access'; registryId: string; message: string }
  /**
   * A bare name that several registries share (in different subscriptions or resource groups, or DNL names such
   * as `name-<hash>.azurecr.io`). Never guessed: the caller asks for the login server or resource id.
   */
  | { status: 'ambiguous'; candidates: RegistryCandidate[] };

export interface RegistryCandidate {
  id: string;
  loginServer: string;
}

export interface Inspection {
  registry: RegistryLookup | null; // null when the target names no registry
  ipOwner: IpOwner | null;
}

/**
 * The Azure side of the bot, as the use cases need it. Implemented by adapters/azure over ARM + Resource Graph.
 * Methods throw AzureError (app/azure-error.ts) for Azure failures; "not found" is a value, not an error.
 */
export interface ReadOptions {
  shareInFlight?: boolean;
}

export interface RegistryGateway {
  /** Registry and IP owner for a finding, cached (TTL + single-flight): cold ≤ 1 Resource Graph call, warm ≤ 1 ARM read. */
  inspect(target: InspectTarget): Promise<Inspection>;
  /** Resolve a registry by login server, name or resource id (for `@bot <registry>`). */
  findRegistry(ref: RegistryRef): Promise<RegistryLookup>;
  /**
   * A fresh read from ARM, bypassing caches (before and after every change). With `shareInFlight`, for a read that
   * is only shown to people (Show rules), a read of the same registry already on its way is shared instead of
   * starting another: a burst of clicks while Azure is slow costs one GET, not one per click. Never for a read that
   * a write is built on: the shared read may have started before that write's lock was taken.
   */
  readRegistry(registryId: string, options?: ReadOptions): Promise<RegistrySnapshot>;

  /**
   * Submit a PATCH that sets `networkRuleSet` to exactly `ipRules` with `defaultAction` (ARM replaces the rule set
   * whole, so callers pass the complete list built from a fresh read). Resolves once ARM accepted the request, with
   * the long-running operation's serialized state to persist; the change may still be in progress.
   */
  submitNetworkRules(
    registryId: string,
    change: { ipRules: string[]; defaultAction: 'Allow' | 'Deny' },
  ): Promise<SubmittedUpdate>;
  /** Wait for a submitted (or, after a restart, restored) update to finish; returns the registry as ARM reports it after completion. */
  waitForUpdate(update: SubmittedUpdate): Promise<RegistrySnapshot>;
  /**
   * Writes to the registry that its subscription's Activity Log recorded with an event time in `window` (reads are
   * not in it). The log lags the writes it records, so an empty list means "none recorded yet", not "none happened".
   */
  registryWrites(registryId: string, window: { from: Date; to: Date }): Promise<RegistryWrite[]>;
}

/** One Activity Log event of a write to a registry: what is known about a change someone made. */
export interface RegistryWrite {
  /** `eventTimestamp`: when Azure Resource Manager handled the request (ISO-8601). */
  at: string;
  /** `caller`: the person's email or UPN, or an application's id; null when the log does not say. */
  caller: string | null;
  /** `operationName.value`, e.g. `Microsoft.ContainerRegistry/registries/write`. */
  operation: string;
  /** `status.value`: Started, Accepted, Succeeded, Failed… (a write logs one event per phase). */
  status: string;
  /** Shared by every event of one operation; the bot's own PATCH carries the id ARM returned for it. */
  correlationId: string | null;
}

/** A long-running ARM update, resumable from `operationState` after a restart. */
export interface SubmittedUpdate {
  registryId: string;
  /** The SDK poller's serialize() output; opaque outside the Azure adapter. */
  operationState: string;
  /** ARM correlation id of the PATCH, for the audit log. */
  correlationId: string | null;
}

/** Time, injectable so expiry and timeouts are testable with a controllable clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
