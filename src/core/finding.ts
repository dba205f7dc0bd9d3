/**
 * A finding is one ACR-related error recognised in pasted text. Its fields are the `acr-access parse --json`
 * contract (the README's "Parsing pasted errors"): every field is present, unknown or redacted values are `null`, never
 * guessed.
 */
export const FINDING_KINDS = [
  'firewall_denied', // "client with IP '<ip>' is not allowed access" (with or without the IP)
  'registry_forbidden', // a 403 from the registry that names no IP (anonymous token 403, login 403, CONNECTIVITY_FORBIDDEN_ERROR)
  'unauthorized', // 401 / "authentication required"
  'access_denied', // "requested access to the resource is denied", "retrieving permissions failed", ARM AuthorizationFailed
  'dns_failure', // "no such host", "could not connect to the registry login server"
  'network_timeout', // i/o timeout, Client.Timeout, context deadline exceeded
  'data_endpoint_blocked', // blob storage / dedicated data endpoint unreachable
  'throttled', // 429 toomanyrequests
  'manifest_unknown', // wrong tag or repository
  'operation_disallowed', // repository/image locked or registry over quota
  'identity_pull_failed', // a service pulls with a managed identity that is missing, not assigned, or lacks AcrPull
  'tls_error', // TLS failed: a privatelink host name, a TLS-inspecting proxy, a cut handshake
  'upstream_throttled', // 429 from the registry behind a cache rule or an import (Docker Hub, MCR), not ACR's own
] as const;

export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Finding {
  kind: FindingKind;
  /** Host the client talked to, lower-cased (`myreg.azurecr.io`, a DNL or data-endpoint host, or a custom domain). */
  loginServer: string | null;
  /** Registry resource name when the host is an ACR host (`myreg` for `myreg.azurecr.io` or `myreg-abc123.azurecr.io`). */
  registryName: string | null;
  /** The client address ACR saw (IPv4 or IPv6 text as printed), never a resolver, node or private-endpoint address. */
  ip: string | null;
  repository: string | null;
  /** Tag or `sha256:` digest of the image. */
  reference: string | null;
  /** Which tool printed it: docker, containerd, kubelet, helm, az, azd, app-service, container-apps, acr-tasks, ... */
  tool: string | null;
  /** The smallest slice of the paste that shows the error, its line breaks kept, runs of spaces collapsed. */
  excerpt: string;
  /**
   * The paste is a hosted CI log (GitHub Actions, Azure Pipelines): its runners leave by addresses that change with
   * every run. Null when the paste shows no CI markers.
   */
  ci?: HostedCi | null;
}

export type HostedCi = 'github-actions' | 'azure-pipelines';

/** Kinds where the registry's network settings decide the answer, so diagnosis reads them. */
export const NETWORK_KINDS: ReadonlySet<FindingKind> = new Set<FindingKind>([
  'firewall_denied',
  'registry_forbidden',
  'dns_failure',
  'network_timeout',
  'data_endpoint_blocked',
  'tls_error',
]);
