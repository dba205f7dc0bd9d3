/**
 * Which Azure cloud a registry lives in, from its login-server suffix (docs/azure.md, "Login servers and clouds"),
 * unless AZURE_RESOURCE_MANAGER_ENDPOINT overrides it. The token scope is always `<ARM endpoint>/.default` without a
 * double slash (the SDK's `cloudSetting` produces `…cn//.default`, docs/azure.md "The SDK", so we never use it).
 */
export interface Cloud {
  /** Azure CLI's cloud name, or `configured` for the AZURE_RESOURCE_MANAGER_ENDPOINT override. */
  name: string;
  /** ARM endpoint without a trailing slash. */
  armEndpoint: string;
  scope: string;
  /** Entra ID authority for DefaultAzureCredential; null = the credential's own default (AZURE_AUTHORITY_HOST or public). */
  authorityHost: string | null;
}

export interface CloudChoice {
  cloud: Cloud;
  /** False when the host's suffix is not an ACR suffix we know (a custom domain): only the default cloud is searched. */
  knownSuffix: boolean;
}

function cloud(name: string, armEndpoint: string, authorityHost: string | null): Cloud {
  return { name, armEndpoint, scope: `${armEndpoint}/.default`, authorityHost };
}

export const PUBLIC_CLOUD = cloud('AzureCloud', 'https://management.azure.com', null);

/** Longest suffix first so `.azurecr.microsoft.scloud` is not mistaken for something shorter. */
const BY_SUFFIX: readonly (readonly [string, Cloud])[] = [
  [
    '.azurecr.microsoft.scloud',
    cloud('USSec', 'https://management.azure.microsoft.scloud', 'https://login.microsoftonline.microsoft.scloud'),
  ], // ⚠ air-gapped, from public code only
  [
    '.azurecr.eaglex.ic.gov',
    cloud('USNat', 'https://management.azure.eaglex.ic.gov', 'https://login.microsoftonline.eaglex.ic.gov'),
  ], // ⚠ air-gapped, from public code only
  ['.azurecr.cn', cloud('AzureChinaCloud', 'https://management.chinacloudapi.cn', 'https://login.chinacloudapi.cn')],
  [
    '.azurecr.us',
    cloud('AzureUSGovernment', 'https://management.usgovcloudapi.net', 'https://login.microsoftonline.us'),
  ],
  [
    '.azurecr.de',
    cloud('AzureGermanCloud', 'https://management.microsoftazure.de', 'https://login.microsoftonline.de'),
  ], // retired 2021, kept so old hosts are recognised
  ['.azurecr.io', PUBLIC_CLOUD],
];

export function configuredCloud(endpoint: string): Cloud {
  return cloud('configured', endpoint.replace(/\/+$/, ''), null);
}

/** The default cloud: the override when configured, else Azure public. */
export function defaultCloud(override: string | null): Cloud {
  return override ? configuredCloud(override) : PUBLIC_CLOUD;
}

export function cloudForHost(host: string | null, override: string | null): CloudChoice {
  const h = host?.toLowerCase() ?? null;
  const hit = h === null ? undefined : BY_SUFFIX.find(([suffix]) => h.endsWith(suffix));
  if (override) return { cloud: configuredCloud(override), knownSuffix: h === null || hit !== undefined };
  return hit ? { cloud: hit[1], knownSuffix: true } : { cloud: PUBLIC_CLOUD, knownSuffix: h === null };
}

/** The cloud whose ARM endpoint serves this URL (e.g. a serialized operation's status URL), else the default. */
export function cloudForUrl(url: string, override: string | null): Cloud {
  let origin: string;
  try {
    origin = new URL(url).origin.toLowerCase();
  } catch {
    return defaultCloud(override);
  }
  const def = defaultCloud(override);
  if (new URL(def.armEndpoint).origin.toLowerCase() === origin) return def;
  return BY_SUFFIX.map(([, c]) => c).find((c) => new URL(c.armEndpoint).origin.toLowerCase() === origin) ?? def;
}
