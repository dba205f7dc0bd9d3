/** The claims role of the store port: each chat event is processed once, across retries and instances. */
export interface ClaimStore {
  /** True the first time a key is seen (process the event), false for a repeat (a retried Slack event, a double click). */
  claimEvent(key: string, scope?: string): Promise<boolean>;
  /** Forget keys older than `t` (platforms stop retrying after minutes). Returns how many. */
  pruneEvents(olderThan: Date): Promise<number>;
}
