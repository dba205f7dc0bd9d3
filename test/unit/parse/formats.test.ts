/**
 * Formats and traps that test/fixtures/errors/FORMATS.md lists but the public corpus lacks (§E: Slack `<url|label>`,
 * Teams HTML, ANSI colours, IPv6 clients, a data-endpoint 403, podman/crictl/ORAS), plus one case per wrapper and trap
 * in §A–§D written here from the documented wire formats. Each case states the whole expected primary finding.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/finding.js';
import { parseFindingsStrict as parse } from '../../../src/core/parse/index.js';
import { expectWellFormed } from './support.js';

const DENIAL =
  "denied: client with IP '203.0.113.7' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.";

function one(text: string): Finding {
  const findings = parse(text);
  expectWellFormed(findings);
  expect(findings.length, JSON.stringify(findings)).toBeGreaterThan(0);
  return findings[0] as Finding;
}

function fields(f: Finding): Omit<Finding, 'excerpt' | 'ci'> {
  const { excerpt: _e, ci: _c, ...rest } = f;
  return rest;
}

describe('chat transports', () => {
  it('Teams HTML code block (CodeBlockEditor paragraph, <br>, spans, entities, a bot mention)', () => {
    const html =
      '<p><at id="0">ACR Access</at>&nbsp;pull fails:</p>' +
      '<p itemtype="http://schema.skype.com/CodeBlockEditor" id="x1"><span>Error response from daemon: Head &quot;https://contosoprodacr.azurecr.io/v2/team/api/manifests/1.4.2&quot;: denied:</span><br>' +
      '<span>client with IP &#39;203.0.113.7&#39; is not allowed access. Refer https://aka.ms/acr/firewall to grant access.</span></p>';
    expect(fields(one(html))).toEqual({
      kind: 'firewall_denied',
      loginServer: 'contosoprodacr.azurecr.io', // a documentation-style name, kept: the lookup decides
      registryName: 'contosoprodacr',
      ip: '203.0.113.7',
      repository: 'team/api',
      reference: '1.4.2',
      tool: 'docker',
    });
  });

  it('Teams HTML <pre><code> with a Mention span and double-encoded entities', () => {
    const html =
      '<div><span itemtype="http://schema.skype.com/Mention" itemid="0">ACR Access</span> help</div>' +
      '<pre><code>kubectl describe pod api\nWarning  Failed  12s  kubelet  Failed to pull image &quot;shopfront42.azurecr.io/web/cart:v7&quot;: ' +
      'rpc error: code = Unknown desc = failed to pull and unpack image &quot;shopfront42.azurecr.io/web/cart:v7&quot;: ' +
      'failed to resolve reference &quot;shopfront42.azurecr.io/web/cart:v7&quot;: unexpected status: 403 Forbidden\n' +
      'denied: client with IP &amp;#39;198.51.100.23&amp;#39; is not allowed access</code></pre>';
    const f = parse(html);
    expect(f.map((x) => x.kind)).toEqual(['firewall_denied']);
    expect(fields(f[0] as Finding)).toEqual({
      kind: 'firewall_denied',
      loginServer: 'shopfront42.azurecr.io',
      registryName: 'shopfront42',
      ip: '198.51.100.23',
      repository: 'web/cart',
      reference: 'v7',
      tool: 'kubelet',
    });
    expect((f[0] as Finding).excerpt).not.toContain('ACR Access');
  });

  it('Slack text: <url|label> links, <@U…> and <#C…|name> mentions, <!here>, &lt; &gt; &amp; and a ``` fence', () => {
    const slack =
      '<!here> <@U024BE7LH> seen in <#C0123|deploys>:\n```Error response from daemon: Get "<https://buildcache77.azurecr.io/v2/|https://buildcache77.azurecr.io/v2/>": denied: ' +
      "client with IP '192.0.2.44' is not allowed access. Refer <https://aka.ms/acr/firewall> to grant access.\n" +
      'docker push <http://buildcache77.azurecr.io/svc/api:2024.06.01|buildcache77.azurecr.io/svc/api:2024.06.01> &amp;&amp; echo &lt;done&gt;```';
    expect(fields(one(slack))).toEqual({
      kind: 'firewall_denied',
      loginServer: 'buildcache77.azurecr.io',
      registryName: 'buildcache77',
      ip: '192.0.2.44',
      repository: 'svc/api',
      reference: '2024.06.01',
      tool: 'docker',
    });
  });

  it('ANSI colour codes, with and without the ESC byte', () => {
    const ansi =
      '\x1b[1m\x1b[31mError:\x1b[0m failed to pull \x1b[36mhttps://registryqa01.azurecr.io/v2/base/node/manifests/20-alpine\x1b[0m: ' +
      "\x1b[33mdenied\x1b[0m: client with IP '\x1b[1m203.0.113.99\x1b[22m' is not allowed access\n[0m[31mretrying[0m";
    const f = one(ansi);
    expect(f).toMatchObject({
      kind: 'firewall_denied',
      registryName: 'registryqa01',
      ip: '203.0.113.99',
      repository: 'base/node',
      reference: '20-alpine',
    });
    expect(f.excerpt).not.toContain('\x1b');
    expect(f.excerpt).not.toContain('[0m');
  });
});

describe('client IPs', () => {
  it('IPv6 client kept as printed', () => {
    const f = one(
      `Error response from daemon: Head "https://dualstackreg.azurecr.io/v2/app/manifests/latest": denied: client with IP '2001:db8::7' is not allowed access.`,
    );
    expect(f).toMatchObject({
      kind: 'firewall_denied',
      ip: '2001:db8::7',
      registryName: 'dualstackreg',
      repository: 'app',
      reference: 'latest',
    });
  });

  it('IPv4-mapped IPv6 and JSON-escaped IPv6', () => {
    expect(
      one(
        `denied: {"errors":[{"code":"DENIED","message":"client with IP \\u0027::ffff:203.0.113.5\\u0027 is not allowed access."}]}`,
      ).ip,
    ).toBe('::ffff:203.0.113.5');
  });

  it('resolver, loopback and private-endpoint addresses are never the client IP', () => {
    for (const text of [
      'Get "https://teamreg01.azurecr.io/v2/": dial tcp: lookup teamreg01.azurecr.io on 168.63.129.16:53: no such host',
      'Get "https://teamreg01.azurecr.io/v2/": dial tcp 10.1.2.5:443: i/o timeout',
      'Get https://teamreg01.azurecr.io/v2/: dial tcp: lookup teamreg01.azurecr.io on [::1]:53: read udp [::1]:5353->[::1]:53: read: connection refused',
      'Get "https://teamreg01.azurecr.io/v2/": dial tcp: lookup teamreg01.azurecr.io on 127.0.0.53:53: server misbehaving',
    ]) {
      const f = one(text);
      expect(f.ip).toBeNull();
      expect(f.registryName).toBe('teamreg01');
      expect(['dns_failure', 'network_timeout']).toContain(f.kind);
    }
  });

  it('an address that looks private but is public is taken (172.160.x is outside 172.16/12)', () => {
    expect(one("denied: client with IP '172.160.222.136' is not allowed access").ip).toBe('172.160.222.136');
  });

  it.each([
    ["'xx.xx.xx.xx'"],
    ["'x.x.x.x'"],
    ["'XXX'"],
    ["'52.xxx. xxx.  xxx '"],
    ["'<my public IP>'"],
    ["'<redacted>'"],
    ["'***'"],
    ["'1.2.3'"],
    ["'300.1.2.3'"],
    ["''"],
  ])('redacted or malformed IP %s is null', (ip) => {
    const f = one(`denied: client with IP ${ip} is not allowed access`);
    expect(f.kind).toBe('firewall_denied');
    expect(f.ip).toBeNull();
  });
});

describe('hosts and registry names', () => {
  const at = (host: string): Finding => one(`Error response from daemon: Get "https://${host}/v2/": ${DENIAL}`);

  it.each([
    ['myteamreg.azurecr.io', 'myteamreg.azurecr.io', 'myteamreg'],
    ['MyTeamReg.AzureCR.io', 'myteamreg.azurecr.io', 'myteamreg'],
    ['chinareg01.azurecr.cn', 'chinareg01.azurecr.cn', 'chinareg01'],
    ['govreg001.azurecr.us', 'govreg001.azurecr.us', 'govreg001'],
    ['natreg001.azurecr.eaglex.ic.gov', 'natreg001.azurecr.eaglex.ic.gov', 'natreg001'],
    ['secreg001.azurecr.microsoft.scloud', 'secreg001.azurecr.microsoft.scloud', 'secreg001'],
    ['testreg01.azurecr-test.io', 'testreg01.azurecr-test.io', 'testreg01'],
    ['shopfront42-e7ggejfuhzhgedc8.azurecr.io', 'shopfront42-e7ggejfuhzhgedc8.azurecr.io', 'shopfront42'],
    ['shopfront42.westeurope.data.azurecr.io', 'shopfront42.westeurope.data.azurecr.io', 'shopfront42'],
    ['shopfront42.eastus2.geo.azurecr.io', 'shopfront42.eastus2.geo.azurecr.io', 'shopfront42'],
    ['shopfront42.privatelink.azurecr.io', 'shopfront42.privatelink.azurecr.io', 'shopfront42'],
    ['altdata.azurecr.io', 'altdata.azurecr.io', 'altdata'],
    ['arcdata.azurecr.io', 'arcdata.azurecr.io', 'arcdata'],
    ['shopfront42.azurecr.ioshopfront42.azurecr.io', 'shopfront42.azurecr.io', 'shopfront42'],
    ['cr.example-corp.net', 'cr.example-corp.net', null],
    ['registry.internal.fabrikamfiber.io', 'registry.internal.fabrikamfiber.io', null],
  ])('%s → %s / %s', (host, loginServer, registryName) => {
    const f = at(host);
    expect(f.loginServer).toBe(loginServer);
    expect(f.registryName).toBe(registryName);
  });

  it.each([
    '***',
    '.azurecr.io',
    '<acr-name>.azurecr.io',
    '<registryname>.azurecr.io',
    '{registryname}.azurecr.io',
    '$Registry.azurecr.io',
    'REG_NAME.azurecr.io',
    'd*****.azurecr.io',
    'foo.azurecr.io',
    'xxxxxxxx.azurecr.io',
    'my_reg.azurecr.io',
  ])('redacted or invalid host %s gives null login server and registry', (host) => {
    const f = at(host);
    expect(f.loginServer).toBeNull();
    expect(f.registryName).toBeNull();
  });

  it.each([
    'myregistry.azurecr.io',
    'acrname.azurecr.io',
    'registry.azurecr.io',
    'yourregistryname.azurecr.io',
    'myacr.azurecr.io',
    'contosoregistry.azurecr.io',
  ])('a tutorial-style name %s is kept as written: many real registries carry one, and the lookup decides', (host) => {
    const f = at(host);
    expect(f.loginServer).toBe(host);
    expect(f.registryName).toBe(host.split('.')[0]);
  });

  it('{Container registry} with a space inside the braces', () => {
    const f = one(
      'Logging in to registry: {Container registry}.azurecr.io\nError response from daemon: Get "https://{Container registry}.azurecr.io/v2/": ' +
        DENIAL,
    );
    expect([f.loginServer, f.registryName]).toEqual([null, null]);
  });

  it('registry name from an ARM resource id when no host is given', () => {
    const f = one(
      'Operation registries-0f0e failed. Resource /subscriptions/0000/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/importtarget7 Invalid message Forbidden Forbidden {"errors":[{"code":"DENIED","message":"client with IP \'20.61.1.2\' is not allowed access."}]}',
    );
    expect(f).toMatchObject({
      kind: 'firewall_denied',
      loginServer: null,
      registryName: 'importtarget7',
      ip: '20.61.1.2',
    });
  });
});

describe('images', () => {
  it('a 40-hex tag is a tag', () => {
    const tag = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3';
    const f = one(
      `Error response from daemon: Head "https://pipelinereg.azurecr.io/v2/svc/worker/manifests/${tag}": ${DENIAL}`,
    );
    expect([f.repository, f.reference]).toEqual(['svc/worker', tag]);
  });

  it('a manifest digest is the reference; a layer digest is not', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const byDigest = one(
      `Error response from daemon: Head "https://pipelinereg.azurecr.io/v2/svc/worker/manifests/${digest}": ${DENIAL}`,
    );
    expect(byDigest.reference).toBe(digest);
    const layer = one(
      `failed to copy: httpReadSeeker: failed open: could not fetch content descriptor sha256:${'cd'.repeat(32)}: Get "https://pipelinereg.azurecr.io/v2/svc/worker/blobs/sha256:${'cd'.repeat(32)}": unexpected status: 403 Forbidden`,
    );
    expect(layer).toMatchObject({
      kind: 'registry_forbidden',
      registryName: 'pipelinereg',
      repository: 'svc/worker',
      reference: null,
    });
  });

  it('image@digest in a kubelet message', () => {
    const digest = `sha256:${'0f'.repeat(32)}`;
    const f = one(
      `Failed to pull image "pipelinereg.azurecr.io/svc/worker@${digest}": rpc error: code = Unknown desc = failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized`,
    );
    expect(f).toMatchObject({ kind: 'unauthorized', repository: 'svc/worker', reference: digest });
  });

  it('dots and several levels in a repository; a port on a custom registry host', () => {
    const f = one(
      'Error response from daemon: Head "https://cr.example-corp.net:5443/v2/team.ui/admin.ui/asp.netcoreimage/manifests/1.0": unauthorized: authentication required',
    );
    expect(f).toMatchObject({
      loginServer: 'cr.example-corp.net',
      repository: 'team.ui/admin.ui/asp.netcoreimage',
      reference: '1.0',
    });
  });

  it('a redacted repository keeps the tag (`main/<imagerepo>:v5`)', () => {
    const f = one(
      'Failed to pull image "teamreg01.azurecr.io/main/<imagerepo>:v5.0.0": failed to resolve reference: unexpected status: 401 Unauthorized',
    );
    expect(f).toMatchObject({ registryName: 'teamreg01', repository: null, reference: 'v5.0.0' });
  });

  it('[repo name omited] and <repository> placeholders are null', () => {
    expect(
      one(
        'Head "https://teamreg01.azurecr.io/v2/[repo name omited]/manifests/latest": unauthorized: authentication required',
      ).repository,
    ).toBeNull();
  });
});

describe('producers (FORMATS §A)', () => {
  it('docker pre-2021: unquoted URL with a colon after it', () => {
    const f = one(
      `Error response from daemon: Head https://oldschool01.azurecr.io/v2/hello-world/manifests/latest: ${DENIAL}`,
    );
    expect(f).toMatchObject({
      registryName: 'oldschool01',
      repository: 'hello-world',
      reference: 'latest',
      tool: 'docker',
    });
  });

  it('azcore pretty-printed ResponseError (azd)', () => {
    const text = [
      'ERROR: failed deploying service: failed logging into container registry, token: failed getting ACR token:',
      'POST https://azdsample7k3.azurecr.io/oauth2/exchange',
      '-'.repeat(80),
      'RESPONSE 403: 403 Forbidden',
      'ERROR CODE UNAVAILABLE',
      '-'.repeat(80),
      '{',
      '  "errors": [',
      '    {',
      '      "code": "DENIED",',
      '      "message": "client with IP \'203.0.113.200\' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."',
      '    }',
      '  ]',
      '}',
    ].join('\n');
    const f = parse(text);
    expect(f.map((x) => x.kind)).toEqual(['firewall_denied']);
    expect(f[0]).toMatchObject({ registryName: 'azdsample7k3', ip: '203.0.113.200', tool: 'azd' });
  });

  it('kubelet retry list [a, b] with the same error twice → one finding', () => {
    const e =
      'rpc error: code = Unknown desc = failed to pull and unpack image "apps7reg.azurecr.io/api:3": failed to resolve reference "apps7reg.azurecr.io/api:3": failed to authorize: failed to fetch anonymous token: unexpected status: 403 Forbidden';
    const f = parse(`Failed to pull image "apps7reg.azurecr.io/api:3": [${e}, ${e}]`);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      kind: 'registry_forbidden',
      registryName: 'apps7reg',
      repository: 'api',
      reference: '3',
      tool: 'kubelet',
    });
  });

  it('kubectl describe Events table with blank lines between rows, quoted with "> "', () => {
    const text = [
      '> Events:',
      '>',
      '>   Type     Reason   Age   From     Message',
      '>',
      '>   Normal   Pulling  10s   kubelet  Pulling image "apps7reg.azurecr.io/shop/web:2.1"',
      '>',
      '>   Warning  Failed   9s    kubelet  Error: ErrImagePull',
      '>',
      ">   Warning  Failed   9s    kubelet  Failed to pull image: denied: client with IP '20.50.1.9' is not allowed access",
    ].join('\n');
    expect(fields(one(text))).toEqual({
      kind: 'firewall_denied',
      loginServer: 'apps7reg.azurecr.io',
      registryName: 'apps7reg',
      ip: '20.50.1.9',
      repository: 'shop/web',
      reference: '2.1',
      tool: 'kubelet',
    });
  });

  it('az acr login: CONNECTIVITY_REFRESH_TOKEN_ERROR 403 and the daemon denial are one incident', () => {
    const text = [
      'Unable to get AAD authorization tokens with message: An error occurred: CONNECTIVITY_REFRESH_TOKEN_ERROR',
      "Access to registry 'prodimages9.azurecr.io' was denied. Response code: 403. Please try running 'az login' again to refresh permissions.",
      `Error response from daemon: Get "https://prodimages9.azurecr.io/v2/": ${DENIAL}`,
    ].join('\n');
    const f = parse(text);
    expect(f.map((x) => x.kind)).toEqual(['firewall_denied']);
    expect(f[0]).toMatchObject({ registryName: 'prodimages9', ip: '203.0.113.7', tool: 'az' });
  });

  it('az acr login 403 alone is registry_forbidden; 401 is unauthorized', () => {
    expect(one("Access to registry 'prodimages9.azurecr.io' was denied. Response code: 403.").kind).toBe(
      'registry_forbidden',
    );
    expect(one("Access to registry 'prodimages9.azurecr.io' was denied. Response code: 401.").kind).toBe(
      'unauthorized',
    );
    expect(
      one(
        "An error occurred: CONNECTIVITY_FORBIDDEN_ERROR\nLooks like you don't have access to registry 'prodimages9.azurecr.io'.",
      ),
    ).toMatchObject({
      kind: 'registry_forbidden',
      registryName: 'prodimages9',
    });
  });

  it('ACR Tasks log with the image only in the az acr build command', () => {
    const text = [
      '$ az acr build -r tasksreg42 -t team/builder:{{.Run.ID}} -t team/builder:latest .',
      '2024/05/01 10:00:01 Logging in to registry: tasksreg42.azurecr.io',
      `failed to login, ran out of retries: failed to set docker credentials: Error response from daemon: Get "https://tasksreg42.azurecr.io/v2/": ${DENIAL}`,
      ': exit status 1',
      'Run ID: dt5 failed after 9s. Error: failed during run, err: exit status 1',
    ].join('\n');
    expect(fields(one(text))).toEqual({
      kind: 'firewall_denied',
      loginServer: 'tasksreg42.azurecr.io',
      registryName: 'tasksreg42',
      ip: '203.0.113.7',
      repository: 'team/builder',
      reference: null, // `{{.Run.ID}}` is a template, not a tag
      tool: 'acr-tasks',
    });
  });

  it('App Service DockerApiException with backslash-escaped quotes, and the STDERR>> form', () => {
    const a = one(
      '2024-02-02T10:00:00.000Z ERROR - DockerApiException: Docker API responded with status code=InternalServerError, response={"message":"Head \\"https://webappsreg1.azurecr.io/v2/site/manifests/v3\\": denied: client with IP \'40.112.0.9\' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."}',
    );
    expect(fields(a)).toEqual({
      kind: 'firewall_denied',
      loginServer: 'webappsreg1.azurecr.io',
      registryName: 'webappsreg1',
      ip: '40.112.0.9',
      repository: 'site',
      reference: 'v3',
      tool: 'app-service',
    });
  });

  it('Container Apps: token exchange 403 body, and the `;.. field error shape', () => {
    const a = one(
      'Failed to construct registry secret for containerapp: ACR token exchange endpoint returned error status: 403. body: {"errors":[{"code":"DENIED","message":"client with IP \'20.7.7.7\' is not allowed access, refer https://aka.ms/acr/firewall to grant access"}]} GenevaTraceId=abc',
    );
    expect(a).toMatchObject({ kind: 'firewall_denied', ip: '20.7.7.7', tool: 'container-apps' });
    const b = one(
      "Field 'template.containers.api.image' is invalid with details: 'Invalid value: \\\"acaimages77.azurecr.io/api:1.2\\\": GET https:?scope=repository%3Aapi%3Apull&service=acaimages77.azurecr.io: UNAUTHORIZED: authentication required, visit https://aka.ms/acr/authorization for more information.';..",
    );
    expect(b).toMatchObject({
      kind: 'unauthorized',
      registryName: 'acaimages77',
      repository: 'api',
      reference: '1.2',
      tool: 'container-apps',
    });
  });

  it('Azure SDK exceptions: JavaScript RestError and a Python bare JSON body', () => {
    expect(
      one(`RestError: {"errors":[{"code":"DENIED","message":"client with IP '51.1.2.3' is not allowed access."}]}`),
    ).toMatchObject({ ip: '51.1.2.3', tool: 'sdk' });
    expect(
      one(
        '(DENIED) retrieving permissions failed\n{"errors":[{"code":"DENIED","message":"retrieving permissions failed"}]}',
      ).kind,
    ).toBe('access_denied');
  });

  it('Flux logfmt with a duplicated timestamp', () => {
    const f = one(
      'ts=2024-01-01T00:00:00Z caller=repocachemanager.go:226 component=warmer canonical_name=fluxreg0001.azurecr.io/apps/api auth={map[]} err="requesting tags: Get \\"https://fluxreg0001.azurecr.io/v2/apps/api/tags/list\\": unauthorized: authentication required"',
    );
    expect(fields(f)).toEqual({
      kind: 'unauthorized',
      loginServer: 'fluxreg0001.azurecr.io',
      registryName: 'fluxreg0001',
      ip: null,
      repository: 'apps/api',
      reference: null,
      tool: 'flux',
    });
  });

  it('skopeo/logrus FATA[] and a Go map dump of the error detail', () => {
    const f = one(
      'FATA[0001] Error reading manifest latest in skopeoreg9.azurecr.io/tools/cli: unauthorized: authentication required [map[Action:pull Class: Name:tools/cli Type:repository]]',
    );
    expect(f).toMatchObject({
      kind: 'unauthorized',
      registryName: 'skopeoreg9',
      repository: 'tools/cli',
      tool: 'skopeo',
    });
  });

  it('BuildKit step error on an ACR base image', () => {
    const text = [
      '#4 [internal] load metadata for baseimages8.azurecr.io/dotnet/sdk:8.0',
      '#4 ERROR: unexpected status from HEAD request to https://baseimages8.azurecr.io/v2/dotnet/sdk/manifests/8.0: 403 Forbidden',
      '------',
      ' > [internal] load metadata for baseimages8.azurecr.io/dotnet/sdk:8.0:',
      'ERROR: failed to solve: baseimages8.azurecr.io/dotnet/sdk:8.0: failed to resolve source metadata: unexpected status: 403 Forbidden',
    ].join('\n');
    expect(fields(one(text))).toEqual({
      kind: 'registry_forbidden',
      loginServer: 'baseimages8.azurecr.io',
      registryName: 'baseimages8',
      ip: null,
      repository: 'dotnet/sdk',
      reference: '8.0',
      tool: 'buildkit',
    });
  });

  it('PowerShell ErrorRecord', () => {
    const text = [
      'PS C:\\src> docker pull psimages01.azurecr.io/win/iis:ltsc2022',
      `docker : Error response from daemon: Head "https://psimages01.azurecr.io/v2/win/iis/manifests/ltsc2022": ${DENIAL}`,
      'At line:1 char:1',
      '+ docker pull psimages01.azurecr.io/win/iis:ltsc2022',
      '    + CategoryInfo          : NotSpecified: (Error response ...grant access.:String) [], RemoteException',
    ].join('\n');
    expect(one(text)).toMatchObject({
      kind: 'firewall_denied',
      registryName: 'psimages01',
      repository: 'win/iis',
      reference: 'ltsc2022',
    });
  });

  it('Terraform │ box with \\" escapes', () => {
    const text = [
      '╷',
      '│ Error: pulling image',
      '│ ',
      '│   with docker_image.app,',
      '│   on main.tf line 12, in resource "docker_image" "app":',
      '│   12: resource "docker_image" "app" {',
      '│ ',
      '│ Error response from daemon: Head \\"https://tfimages001.azurecr.io/v2/app/manifests/9\\": denied: client',
      "│ with IP '203.0.113.77' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.",
      '╵',
    ].join('\n');
    expect(fields(one(text))).toEqual({
      kind: 'firewall_denied',
      loginServer: 'tfimages001.azurecr.io',
      registryName: 'tfimages001',
      ip: '203.0.113.77',
      repository: 'app',
      reference: '9',
      tool: 'terraform',
    });
  });

  it('Azure ML tab fields, a doubled host and ** bold markers', () => {
    const text =
      "Failed to pull image.\\n\\tReason: **denied: client with IP '52.9.9.9' is not allowed access**\\n\\tserviceURL: https://mlworkspace1.azurecr.iomlworkspace1.azurecr.io/v2/azureml/azureml_abc/manifests/latest";
    expect(one(text)).toMatchObject({
      kind: 'firewall_denied',
      loginServer: 'mlworkspace1.azurecr.io',
      registryName: 'mlworkspace1',
      ip: '52.9.9.9',
    });
  });

  it('Helm --debug with a Go stack trace', () => {
    const text = [
      'helm pull oci://chartsreg77.azurecr.io/helm/platform --version 2.3.4 --debug',
      'Error: failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized',
      'helm.go:84: [debug] failed to fetch oauth token: unexpected status: 401 Unauthorized',
      'github.com/containerd/containerd/remotes/docker/auth.FetchToken',
      '\tgithub.com/containerd/containerd@v1.7.0/remotes/docker/auth/fetch.go:187',
    ].join('\n');
    expect(fields(one(text))).toEqual({
      kind: 'unauthorized',
      loginServer: 'chartsreg77.azurecr.io',
      registryName: 'chartsreg77',
      ip: null,
      repository: 'helm/platform',
      reference: '2.3.4',
      tool: 'helm',
    });
  });

  it('podman, crictl and ORAS', () => {
    expect(
      one(
        `Trying to pull podmanreg01.azurecr.io/ubi/httpd:9...\nError: initializing source docker://podmanreg01.azurecr.io/ubi/httpd:9: reading manifest 9 in podmanreg01.azurecr.io/ubi/httpd: denied: client with IP '203.0.113.8' is not allowed access`,
      ),
    ).toMatchObject({
      kind: 'firewall_denied',
      registryName: 'podmanreg01',
      repository: 'ubi/httpd',
      reference: '9',
      ip: '203.0.113.8',
      tool: 'podman',
    });
    expect(
      one(
        'crictl pull nodeimages5.azurecr.io/sys/agent:1.0\nE0101 00:00:00.000 remote_image.go:238] "PullImage from image service failed" err="rpc error: code = Unknown desc = failed to pull and unpack image \\"nodeimages5.azurecr.io/sys/agent:1.0\\": failed to resolve reference \\"nodeimages5.azurecr.io/sys/agent:1.0\\": failed to authorize: failed to fetch anonymous token: unexpected status: 403 Forbidden"',
      ),
    ).toMatchObject({
      kind: 'registry_forbidden',
      registryName: 'nodeimages5',
      repository: 'sys/agent',
      reference: '1.0',
      tool: 'crictl',
    });
    expect(
      one(
        `oras push artifacts77.azurecr.io/sbom/app:v1 sbom.json\nError: failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://artifacts77.azurecr.io/oauth2/token: 401 Unauthorized`,
      ),
    ).toMatchObject({
      kind: 'unauthorized',
      registryName: 'artifacts77',
      repository: 'sbom/app',
      reference: 'v1',
      tool: 'oras',
    });
  });
});

describe('human mangling (FORMATS §B)', () => {
  it('line break inside the host of a URL, and inside the message', () => {
    const f = one(
      `Error response from daemon: Get "https://wrapreg0001.azurec\nr.io/v2/": denied: client with\nIP '203.0.113.3' is not allowed access. Refer https://aka.m\ns/acr/firewall to grant access.`,
    );
    expect(f).toMatchObject({
      kind: 'firewall_denied',
      loginServer: 'wrapreg0001.azurecr.io',
      registryName: 'wrapreg0001',
      ip: '203.0.113.3',
    });
  });

  it('a terminal hard wrap at a fixed column, splitting words and the IP', () => {
    const long = `Error response from daemon: Head "https://hardwrapreg9.azurecr.io/v2/tools/cli/manifests/2.0": denied: client with IP '198.51.100.177' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`;
    const wrapped = long.match(/.{1,60}/g)?.join('\n') ?? '';
    expect(wrapped.split('\n').length).toBeGreaterThan(3);
    expect(fields(one(wrapped))).toMatchObject({
      registryName: 'hardwrapreg9',
      ip: '198.51.100.177',
      repository: 'tools/cli',
      reference: '2.0',
    });
  });

  it('shell-comment prefix and CI prefixes', () => {
    expect(one("#     denied: client with IP '20.29.1.2' is not allowed access").ip).toBe('20.29.1.2');
    const ci = one(
      "##[command]/usr/bin/docker push cireg00001.azurecr.io/app:12\n##[error]denied: client with IP '20.1.1.1' is not allowed access\n##[error]/usr/bin/docker failed with return code: 1",
    );
    expect(ci).toMatchObject({ registryName: 'cireg00001', repository: 'app', reference: '12', ip: '20.1.1.1' });
    expect(ci.excerpt.startsWith('denied: client with IP')).toBe(true);
  });

  it('Markdown escapes, autolinks, GitHub link mangling and backticks', () => {
    const f = one(
      '`Get "[https://mdreg00001.azurecr.io/v2/\\"](https://***.azurecr.io/v2/%22): denied: client with IP \\<203.0.113.4\\> is not allowed access. Refer <https://aka.ms/acr/firewall> to grant access.`',
    );
    expect(f).toMatchObject({ kind: 'firewall_denied', registryName: 'mdreg00001', ip: '203.0.113.4' });
  });

  it('a terminal session collapsed to one line, with CJK prose around it', () => {
    const f = one(
      `以下のエラーが発生しました。docker pull cjkreg0001.azurecr.io/web:1 Using default tag: latest Error response from daemon: Head "https://cjkreg0001.azurecr.io/v2/web/manifests/1": ${DENIAL} 対処方法を教えてください。`,
    );
    expect(fields(f)).toEqual({
      kind: 'firewall_denied',
      loginServer: 'cjkreg0001.azurecr.io',
      registryName: 'cjkreg0001',
      ip: '203.0.113.7',
      repository: 'web',
      reference: '1',
      tool: 'docker',
    });
  });

  it('typographic quotes from autocorrect', () => {
    expect(one('denied: client with IP ‘203.0.113.9’ is not allowed access').ip).toBe('203.0.113.9');
    expect(one('Access to registry ‘quotereg01.azurecr.io’ was denied. Response code: 403.').registryName).toBe(
      'quotereg01',
    );
  });

  it('the registry on another line than the denial, and a truncated paste', () => {
    const f = one(
      `Pulling image "crossline01.azurecr.io/jobs/etl:5"\n... DENIED, client with IP '20.1.2.3' is not allowed access`,
    );
    expect(f).toMatchObject({ registryName: 'crossline01', repository: 'jobs/etl', reference: '5', ip: '20.1.2.3' });
    expect(one('Get "https://cutreg0001.azurecr.io/v2/": denied: client with')).toMatchObject({
      kind: 'firewall_denied',
      ip: null,
      registryName: 'cutreg0001',
    });
  });
});

describe('look-alikes that are not ACR firewall denials', () => {
  it('Azure SQL "Client with IP address … is not allowed to access the server"', () => {
    expect(
      parse(
        "Cannot open server 'sql1' requested by the login. Client with IP address '203.0.113.5' is not allowed to access the server.",
      ),
    ).toEqual([]);
  });

  it('Azure Storage firewall AuthorizationFailure', () => {
    expect(
      parse(
        'Status: 403 (This request is not authorized to perform this operation.)\nErrorCode: AuthorizationFailure\nhttps://logsacct.blob.core.windows.net/container?restype=container',
      ),
    ).toEqual([]);
  });

  it('an nginx 403 page from a mirror', () => {
    expect(
      parse(
        'docker pull mirror.example-cdn.net/library/nginx:1\nError response from daemon: error parsing HTTP 403 response body: invalid character \'<\' looking for beginning of value: "<html>\\r\\n<head><title>403 Forbidden</title></head>\\r\\n<body>\\r\\n<center><h1>403 Forbidden</h1></center>\\r\\n<hr><center>nginx</center>\\r\\n</body>\\r\\n</html>\\r\\n"',
      ),
    ).toEqual([]);
  });

  it('MCR 403 is registry_forbidden with no registry name', () => {
    expect(
      fields(
        one(
          'Error response from daemon: Head "https://mcr.microsoft.com/v2/dotnet/runtime/manifests/8.0": 403 Forbidden',
        ),
      ),
    ).toEqual({
      kind: 'registry_forbidden',
      loginServer: 'mcr.microsoft.com',
      registryName: null,
      ip: null,
      repository: 'dotnet/runtime',
      reference: '8.0',
      tool: 'docker',
    });
  });

  it('Docker Hub push: access_denied with no login server', () => {
    const f = one(
      '$ docker push someuser/webapp:1\nThe push refers to repository [docker.io/someuser/webapp]\ndenied: requested access to the resource is denied',
    );
    expect(fields(f)).toEqual({
      kind: 'access_denied',
      loginServer: null,
      registryName: null,
      ip: null,
      repository: 'someuser/webapp',
      reference: '1',
      tool: 'docker',
    });
  });

  it('plain prose and unrelated errors give nothing', () => {
    for (const t of [
      '',
      'hello team, is the registry down?',
      'npm ERR! 404 Not Found',
      'connection timed out while reading the newspaper',
      'The client with IP 1.2.3.4 connected fine',
    ]) {
      expect(parse(t)).toEqual([]);
    }
  });
});

describe('other finding kinds', () => {
  it.each([
    [
      'Error response from daemon: Get "https://datareg001.westus2.data.azurecr.io/docker/registry/v2/blobs/sha256/aa/x/data": 403 Forbidden',
      'data_endpoint_blocked',
      'datareg001.westus2.data.azurecr.io',
      'datareg001',
    ],
    [
      'error pulling image configuration: download failed after attempts=6: dial tcp 20.60.1.1:443: i/o timeout',
      'data_endpoint_blocked',
      null,
      null,
    ],
    [
      'Get "https://kindsreg01.azurecr.io/v2/": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)',
      'network_timeout',
      'kindsreg01.azurecr.io',
      'kindsreg01',
    ],
    [
      'Get "https://kindsreg01.azurecr.io/v2/": context deadline exceeded',
      'network_timeout',
      'kindsreg01.azurecr.io',
      'kindsreg01',
    ],
    [
      "Could not connect to the registry login server 'kindsreg01.azurecr.io'. Please verify that the registry exists",
      'dns_failure',
      'kindsreg01.azurecr.io',
      'kindsreg01',
    ],
    [
      'Error response from daemon: Get https://kindsreg01.azurecr.io/v2/: toomanyrequests: Too many requests.',
      'throttled',
      'kindsreg01.azurecr.io',
      'kindsreg01',
    ],
    [
      'Error response from daemon: manifest for kindsreg01.azurecr.io/app:nope not found: manifest unknown: manifest tagged by "nope" is not found',
      'manifest_unknown',
      'kindsreg01.azurecr.io',
      'kindsreg01',
    ],
    [
      'denied: The operation is disallowed on this registry, repository or image. View troubleshooting steps at https://aka.ms/acr/faq',
      'operation_disallowed',
      null,
      null,
    ],
  ])('%s → %s', (text, kind, loginServer, registryName) => {
    expect(one(text)).toMatchObject({ kind, loginServer, registryName });
  });

  it('a denial on a data endpoint host stays firewall_denied', () => {
    const f = one(
      `Get "https://datareg001.westus2.data.azurecr.io/docker/registry/v2/blobs/sha256/aa/x/data": ${DENIAL}`,
    );
    expect(f).toMatchObject({
      kind: 'firewall_denied',
      loginServer: 'datareg001.westus2.data.azurecr.io',
      registryName: 'datareg001',
      ip: '203.0.113.7',
    });
  });

  it('several kinds in one paste are ordered network first, and each appears once', () => {
    const text = [
      'Failed to pull image "multireg01.azurecr.io/a:1": unauthorized: authentication required',
      'Failed to pull image "multireg01.azurecr.io/a:1": unauthorized: authentication required',
      `Error response from daemon: Get "https://multireg01.azurecr.io/v2/": ${DENIAL}`,
      'Get "https://multireg01.azurecr.io/v2/": dial tcp: lookup multireg01.azurecr.io: no such host',
    ].join('\n');
    expect(parse(text).map((f) => f.kind)).toEqual(['firewall_denied', 'dns_failure', 'unauthorized']);
  });
});

describe('large inputs', () => {
  it('finds an error in the middle of a large CI log (region scanning)', () => {
    const noise = Array.from(
      { length: 20000 },
      (_, i) => `2024-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z step ${i}: compiling module_${i}.ts`,
    ).join('\n');
    const text = `${noise}\n[command]/usr/bin/docker push bigreg0001.azurecr.io/svc/api:9\ndenied: client with IP '20.9.8.7' is not allowed access\n${noise}`;
    expect(text.length).toBeGreaterThan(256 * 1024);
    expect(fields(one(text))).toEqual({
      kind: 'firewall_denied',
      loginServer: 'bigreg0001.azurecr.io',
      registryName: 'bigreg0001',
      ip: '20.9.8.7',
      repository: 'svc/api',
      reference: '9',
      tool: 'docker',
    });
  });
});
