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
  /** The smallest slice of the paste that shows the error, whitespace-normalised. */
  excerpt: string;
}

/** Kinds where the registry's network settings decide the answer, so diagnosis reads them. */
export const NETWORK_KINDS: ReadonlySet<FindingKind> = new Set<FindingKind>([
  'firewall_denied',
  'registry_forbidden',
  'dns_failure',
  'network_timeout',
  'data_endpoint_blocked',
]);
