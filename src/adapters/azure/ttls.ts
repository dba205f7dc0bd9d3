/** How long the Azure adapter keeps what it learned (the gateway's options may override each). */
export interface CacheTtls {
  /** Login server / name → registry id. */
  resolutionMs: number;
  /** A "not found" answer, kept short so a registry created a minute ago is found. */
  notFoundMs: number;
  /** Registry snapshot reused by concurrent and back-to-back inspections (never by readRegistry). */
  snapshotMs: number;
  /** IP → owner in the tenant (or "none"). */
  ipOwnerMs: number;
  /** The full registry list of the listing fallback. */
  directoryMs: number;
  /** How long to skip Resource Graph after it refused (403) or was missing (404). */
  graphBackoffMs: number;
  /** Azure service-tag ranges (they change weekly at most). */
  serviceTagsMs: number;
}

export const DEFAULT_TTLS: CacheTtls = {
  resolutionMs: 10 * 60_000,
  notFoundMs: 30_000,
  snapshotMs: 5_000,
  ipOwnerMs: 10 * 60_000,
  directoryMs: 60_000,
  graphBackoffMs: 10 * 60_000,
  serviceTagsMs: 24 * 3600_000,
};
