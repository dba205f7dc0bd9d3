/**
 * deployment/main.bicep (+ modules, main.parameters.json, README) reviewed against the least-privilege
 * checklist in deployment/README.md (facts and sources: docs/azure.md, "Least privilege"). There is no Bicep CLI here,
 * so the templates are read with a small lexer that blanks comments and string contents (keeping every offset), which
 * lets the checks find structure in the "skeleton" and read literal values at the same offsets in the real text.
 *
 * What is checked: the custom roles grant exactly the allowed actions (no wildcards, no broad built-in roles);
 * one user-assigned identity is both the Bot Framework identity (UserAssignedMSI) and the ARM identity
 * (AZURE_CLIENT_ID); the container gets exactly the variables src/config.ts reads, with every secret through a
 * secretRef; probes hit /healthz and /readyz; PostgreSQL is conditional; modules get the parameters they declare at
 * the scope they target; the parameters file names only real parameters; stable API versions only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BOT_FRAMEWORK_SETTINGS, DEFAULT_PORT, SECRET_SETTINGS } from '../../src/config.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (rel: string): string => fs.readFileSync(path.join(root, rel), 'utf8');

// ---------------------------------------------------------------------------------------------------------------
// A tiny Bicep reader
// ---------------------------------------------------------------------------------------------------------------

/**
 * Same-length copy of a Bicep file with comments and the insides of string literals (interpolations included)
 * replaced by spaces; quotes and newlines are kept. Bicep strings: '…' with \-escapes and ${…} interpolation,
 * and '''…''' multi-line strings without either (Bicep docs, "Data types: Strings").
 */
function skeleton(text: string): string {
  const out = text.split('');
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k += 1) if (out[k] !== '\n') out[k] = ' ';
  };
  // Scans code from i; stops after the `}` that closes an interpolation when inInterpolation; returns the index after.
  const code = (start: number, inInterpolation: boolean): number => {
    let i = start;
    let depth = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === '/' && text[i + 1] === '/') {
        const end = text.indexOf('\n', i);
        const stop = end === -1 ? text.length : end;
        blank(i, stop);
        i = stop;
      } else if (c === '/' && text[i + 1] === '*') {
        const end = text.indexOf('*/', i + 2);
        const stop = end === -1 ? text.length : end + 2;
        blank(i, stop);
        i = stop;
      } else if (c === "'") {
        i = str(i);
      } else if (c === '{') {
        depth += 1;
        i += 1;
      } else if (c === '}') {
        if (inInterpolation && depth === 0) return i + 1;
        depth -= 1;
        i += 1;
      } else i += 1;
    }
    return i;
  };
  const str = (start: number): number => {
    if (text.startsWith("'''", start)) {
      const end = text.indexOf("'''", start + 3);
      const stop = end === -1 ? text.length : end;
      blank(start + 3, stop);
      return stop + 3;
    }
    let i = start + 1;
    while (i < text.length) {
      const c = text[i];
      if (c === '\\') i += 2;
      else if (c === '$' && text[i + 1] === '{') i = code(i + 2, true);
      else if (c === "'") {
        blank(start + 1, i);
        return i + 1;
      } else if (c === '\n') throw new Error(`unterminated string at offset ${start}`);
      else i += 1;
    }
    throw new Error(`unterminated string at offset ${start}`);
  };
  code(0, false);
  return out.join('');
}

/** Index just after the bracket that closes the one at `open` (in a skeleton, so strings cannot confuse it). */
function closeOf(sk: string, open: number): number {
  const pairs: Record<string, string> = { '{': '}', '[': ']', '(': ')' };
  const stack: string[] = [];
  for (let i = open; i < sk.length; i += 1) {
    const c = sk[i] ?? '';
    if (c in pairs) stack.push(pairs[c] ?? '');
    else if (c === '}' || c === ']' || c === ')') {
      if (stack.pop() !== c) throw new Error(`unbalanced ${c} at offset ${i}`);
      if (stack.length === 0) return i + 1;
    }
  }
  throw new Error(`no closing bracket for offset ${open}`);
}

interface BicepFile {
  rel: string;
  text: string;
  sk: string;
}
function load(rel: string): BicepFile {
  const text = read(rel);
  return { rel, text, sk: skeleton(text) };
}

interface Param {
  name: string;
  type: string;
  defaultValue: string | null;
  decorators: string;
}
function params(f: BicepFile): Map<string, Param> {
  const result = new Map<string, Param>();
  const re = /^param\s+(\w+)\s+([\w[\]]+)(?:\s*=\s*(.*))?$/gm;
  for (const m of f.sk.matchAll(re)) {
    // Decorators: the lines directly above, back to the previous blank line or declaration.
    const before = f.text.slice(0, m.index).split('\n');
    before.pop();
    const decorators: string[] = [];
    for (let k = before.length - 1; k >= 0; k -= 1) {
      const line = before[k] ?? '';
      if (line.trim() === '' || /^(param|var|resource|module|output|targetScope|metadata)\b/.test(line)) break;
      decorators.unshift(line);
    }
    const name = m[1] ?? '';
    const valueStart = m[3] !== undefined ? (m.index ?? 0) + m[0].length - m[3].length : -1;
    let defaultValue: string | null = null;
    if (valueStart >= 0) {
      const first = f.sk[valueStart];
      const end = first === '[' || first === '{' ? closeOf(f.sk, valueStart) : (m.index ?? 0) + m[0].length;
      defaultValue = f.text.slice(valueStart, end).trim();
    }
    result.set(name, { name, type: m[2] ?? '', defaultValue, decorators: decorators.join('\n') });
  }
  return result;
}

interface Decl {
  kind: 'resource' | 'module';
  symbol: string;
  target: string; // 'Type@version' for resources, path for modules
  condition: string | null;
  existing: boolean;
  body: string; // original text of the body
  bodySk: string;
}
function declarations(f: BicepFile): Decl[] {
  const result: Decl[] = [];
  const re = /^(resource|module)\s+(\w+)\s+'/gm;
  for (const m of f.sk.matchAll(re)) {
    const quote = (m.index ?? 0) + m[0].length - 1;
    const endQuote = f.sk.indexOf("'", quote + 1);
    const target = f.text.slice(quote + 1, endQuote);
    const open = f.sk.slice(endQuote).search(/[{[]/) + endQuote;
    const header = f.sk.slice(endQuote + 1, open);
    const headerText = f.text.slice(endQuote + 1, open);
    const end = closeOf(f.sk, open);
    const cond = /\bif\s*\(/.exec(header);
    result.push({
      kind: m[1] as 'resource' | 'module',
      symbol: m[2] ?? '',
      target,
      condition: cond
        ? headerText
            .slice(cond.index)
            .replace(/^if\s*\(|\)\s*=?\s*$/g, '')
            .trim()
        : null,
      existing: /\bexisting\b/.test(header),
      body: f.text.slice(open, end),
      bodySk: f.sk.slice(open, end),
    });
  }
  return result;
}

/** String value of `key: '...'` directly inside a body (first match), or null. */
function stringProp(body: string, bodySk: string, key: string): string | null {
  const m = new RegExp(`\\b${key}:\\s*'`).exec(bodySk);
  if (!m) return null;
  const start = m.index + m[0].length;
  const end = bodySk.indexOf("'", start);
  return body.slice(start, end);
}

/** Original text of `var <name> = …` up to the end of its value. */
function varValue(f: BicepFile, name: string): string {
  const m = new RegExp(`^var\\s+${name}\\s*=\\s*`, 'm').exec(f.sk);
  if (!m) throw new Error(`var ${name} not found in ${f.rel}`);
  const start = m.index + m[0].length;
  const lineEnd = f.sk.indexOf('\n', start);
  const line = f.sk.slice(start, lineEnd);
  // The value continues while a bracket opened on this line is still open.
  let end = lineEnd;
  const lastOpen = Math.max(line.lastIndexOf('['), line.lastIndexOf('{'), line.lastIndexOf('('));
  if (lastOpen >= 0) {
    const abs = start + lastOpen;
    try {
      const close = closeOf(f.sk, abs);
      if (close > lineEnd) end = close;
    } catch {
      /* a bracket closed on the same line: single-line value */
    }
  }
  return f.text.slice(start, end);
}

/** Array literal of strings → the strings. */
function stringList(value: string): string[] {
  return [...value.matchAll(/'([^']*)'/g)].map((m) => m[1] ?? '');
}

interface EnvEntry {
  name: string;
  kind: 'value' | 'secretRef';
  expr: string;
  from: string; // var it was declared in
}
function entries(f: BicepFile, varSuffix: string): EnvEntry[] {
  const out: EnvEntry[] = [];
  for (const m of f.sk.matchAll(new RegExp(`^var\\s+(\\w+${varSuffix})\\s*=`, 'gm'))) {
    const value = varValue(f, m[1] ?? '');
    for (const e of value.matchAll(/name:\s*'([^']+)'\s*\n\s*(value|secretRef):\s*([^\n]+)/g)) {
      out.push({ name: e[1] ?? '', kind: e[2] as 'value' | 'secretRef', expr: (e[3] ?? '').trim(), from: m[1] ?? '' });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The files under review
// ---------------------------------------------------------------------------------------------------------------

const moduleFiles = fs
  .readdirSync(path.join(root, 'deployment/modules'))
  .filter((n) => n.endsWith('.bicep'))
  .map((n) => `deployment/modules/${n}`);
const main = load('deployment/main.bicep');
const files = [main, ...moduleFiles.map(load)];
const mainDecls = declarations(main);
const decl = (symbol: string): Decl => {
  const d = mainDecls.find((x) => x.symbol === symbol);
  if (!d) throw new Error(`${symbol} is not declared in main.bicep`);
  return d;
};
const byType = (type: string): Decl[] =>
  mainDecls.filter((d) => d.kind === 'resource' && d.target.split('@')[0] === type);
const mainParams = params(main);

const OPERATOR_ACTIONS = [
  'Microsoft.ContainerRegistry/registries/read',
  'Microsoft.ContainerRegistry/registries/write',
  'Microsoft.ContainerRegistry/registries/operationStatuses/read',
  'Microsoft.ContainerRegistry/locations/operationResults/read',
  'Microsoft.ContainerRegistry/registries/privateEndpointConnections/read',
];
const RESOLVER_ACTIONS = [
  'Microsoft.ContainerRegistry/registries/read',
  'Microsoft.ContainerRegistry/registries/privateEndpointConnections/read',
  'Microsoft.Network/publicIPAddresses/read',
  'Microsoft.Network/publicIPPrefixes/read',
  'Microsoft.Resources/subscriptions/read',
];
const ROLE = {
  AcrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
  Reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
};
const FORBIDDEN_ROLES: Record<string, string> = {
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635': 'Owner',
  'b24988ac-6180-42a0-ab88-20f7382dd24c': 'Contributor',
  '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9': 'User Access Administrator',
  'f58310d9-a9f6-439a-9e8d-f62e7b41a168': 'Role Based Access Control Administrator',
  '8311e382-0749-4cb8-b61a-304f252e45ec': 'AcrPush',
  '3bc748fc-213d-45c1-8d91-9da5725539b9': 'Container Registry Contributor and Data Access Configuration Administrator',
  '69b07be0-09bf-439a-b9a6-e73de851bd59': 'Container Registry Configuration Reader (includes listCredentials)',
};

// ---------------------------------------------------------------------------------------------------------------

describe('deployment Bicep: syntax and API versions', () => {
  it('every file lexes with balanced brackets', () => {
    for (const f of files) {
      let i = 0;
      while (i < f.sk.length) {
        const c = f.sk[i] ?? '';
        if ('{[('.includes(c)) i = closeOf(f.sk, i);
        else {
          expect('}])'.includes(c), `${f.rel}: stray ${c} at offset ${i}`).toBe(false);
          i += 1;
        }
      }
    }
  });

  it('uses stable API versions for every resource type it deploys or reads', () => {
    const seen = new Set<string>();
    for (const f of files) {
      for (const d of declarations(f).filter((x) => x.kind === 'resource')) {
        const [type, version] = d.target.split('@');
        expect(version, `${f.rel}: ${d.target}`).toMatch(/^\d{4}-\d{2}-\d{2}$/); // no -preview
        seen.add(type ?? '');
      }
    }
    for (const type of [
      'Microsoft.BotService/botServices',
      'Microsoft.BotService/botServices/channels',
      'Microsoft.App/managedEnvironments',
      'Microsoft.App/containerApps',
      'Microsoft.ManagedIdentity/userAssignedIdentities',
      'Microsoft.OperationalInsights/workspaces',
      'Microsoft.Authorization/roleDefinitions',
      'Microsoft.Authorization/roleAssignments',
      'Microsoft.DBforPostgreSQL/flexibleServers',
    ]) {
      expect(seen, type).toContain(type);
    }
  });

  it('gives every module exactly the parameters it declares, at the scope it targets', () => {
    for (const d of mainDecls.filter((x) => x.kind === 'module')) {
      const f = load(path.posix.join('deployment', d.target));
      const declared = params(f);
      const target = /^targetScope\s*=\s*'(\w+)'/m.exec(f.text)?.[1] ?? 'resourceGroup';
      const scope = /\bscope:\s*(\w+)\(/.exec(d.bodySk)?.[1] ?? 'resourceGroup';
      expect(scope, `${d.symbol} scope`).toBe(target);
      const paramsAt = d.bodySk.search(/\bparams:\s*\{/);
      expect(paramsAt, `${d.symbol} has params`).toBeGreaterThan(0);
      const open = d.bodySk.indexOf('{', paramsAt);
      const block = d.bodySk.slice(open + 1, closeOf(d.bodySk, open) - 1);
      // Top-level keys only: blank nested brackets first.
      let flat = block;
      for (let i = 0; i < flat.length; i += 1) {
        if ('{[('.includes(flat[i] ?? '')) {
          const end = closeOf(flat, i);
          flat = flat.slice(0, i + 1) + ' '.repeat(end - i - 2) + flat.slice(end - 1);
          i = end - 1;
        }
      }
      const given = [...flat.matchAll(/^\s*(\w+):/gm)].map((m) => m[1] ?? '');
      for (const g of given) expect([...declared.keys()], `${d.symbol} passes ${g}`).toContain(g);
      for (const p of declared.values()) {
        if (p.defaultValue === null) expect(given, `${d.symbol} must pass ${p.name}`).toContain(p.name);
      }
    }
  });
});

describe('deployment Bicep: least-privilege RBAC', () => {
  const operator = load('deployment/modules/registry-operator-role.bicep');
  const resolver = load('deployment/modules/registry-resolver-role.bicep');

  it('the operator role grants exactly the actions the bot needs, fixed in the template', () => {
    expect(stringList(varValue(operator, 'actions')).sort()).toEqual([...OPERATOR_ACTIONS].sort());
    const def = declarations(operator).find((d) => d.target.startsWith('Microsoft.Authorization/roleDefinitions@'));
    expect(def).toBeDefined();
    expect(def?.bodySk).toMatch(/\bactions:\s*actions\b/);
    for (const k of ['notActions', 'dataActions', 'notDataActions'])
      expect(def?.bodySk).toMatch(new RegExp(`\\b${k}:\\s*\\[\\s*\\]`));
    expect(stringProp(def?.body ?? '', def?.bodySk ?? '', 'type')).toBe('CustomRole');
    // Assignable only at resource groups, never a subscription or management group.
    expect(def?.body).toMatch(
      /assignableScopes:\s*\[for \w+ in \w+: '\$\{subscription\(\)\.id\}\/resourceGroups\/\$\{\w+\}'\]/,
    );
    // The actions are not a parameter anyone could widen.
    expect([...params(operator).keys()].some((p) => /action/i.test(p))).toBe(false);
  });

  it('the resolver role is read-only', () => {
    const actions = stringList(varValue(resolver, 'actions'));
    expect(actions.sort()).toEqual([...RESOLVER_ACTIONS].sort());
    for (const a of actions) expect(a).toMatch(/\/read$/);
  });

  it('no wildcard actions and no broad built-in roles anywhere', () => {
    for (const f of files) {
      // Any string literal with a * would be a wildcard action or scope. In the skeleton a literal is '<blanks>'.
      for (const m of f.sk.matchAll(/'( *)'/g)) {
        const start = (m.index ?? 0) + 1;
        expect(f.text.slice(start, start + (m[1] ?? '').length), f.rel).not.toContain('*');
      }
      for (const g of f.text.toLowerCase().matchAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g)) {
        expect(FORBIDDEN_ROLES[g[0]], `${f.rel} uses ${FORBIDDEN_ROLES[g[0]] ?? ''}`).toBeUndefined();
        expect(Object.values(ROLE), `${f.rel}: unknown role id ${g[0]}`).toContain(g[0]);
      }
    }
  });

  it("assigns the operator role on the registries' resource groups only", () => {
    const role = decl('operatorRole');
    expect(role.target).toBe('modules/registry-operator-role.bicep');
    expect(role.bodySk).toMatch(/scope:\s*subscription\(registriesSubscriptionId\)/);
    const assign = decl('operatorAssignments');
    expect(assign.target).toBe('modules/role-assignment-rg.bicep');
    expect(assign.body).toMatch(/for \w+ in registriesResourceGroups:/);
    expect(assign.bodySk).toMatch(/scope:\s*resourceGroup\(registriesSubscriptionId,\s*\w+\)/);
    expect(assign.body).toMatch(/principalId:\s*botIdentity\.properties\.principalId/);
    expect(assign.body).toMatch(/roleDefinitionId:\s*operatorRole\.outputs\.roleDefinitionId/);
    const rgs = mainParams.get('registriesResourceGroups');
    expect(rgs?.defaultValue).toBeNull(); // no default scope: the operator must say where the registries are
    expect(rgs?.decorators).toMatch(/@minLength\(1\)/);
  });

  it('role assignments name the principal type (new identities are not replicated yet)', () => {
    for (const f of files) {
      for (const d of declarations(f).filter((x) => x.target.startsWith('Microsoft.Authorization/roleAssignments@'))) {
        expect(stringProp(d.body, d.bodySk, 'principalType'), `${f.rel} ${d.symbol}`).toBe('ServicePrincipal');
      }
    }
  });

  it('AcrPull is granted on the image registry only, to the pull identity, kept from the app code', () => {
    for (const f of files) {
      if (f.text.includes(ROLE.AcrPull)) expect(f.rel).toBe('deployment/modules/image-pull.bicep');
    }
    const pull = load('deployment/modules/image-pull.bicep');
    const assignment = declarations(pull).find((d) => d.target.startsWith('Microsoft.Authorization/roleAssignments@'));
    expect(assignment?.bodySk).toMatch(/scope:\s*imageRegistry\b/); // the registry, not its resource group
    const mod = decl('imagePull');
    expect(mod.condition).toBe('pullFromAcr');
    expect(mod.body).toMatch(/principalId:\s*pullIdentity\.properties\.principalId/);
    const app = decl('app');
    expect(app.body).toMatch(/identity:\s*pullIdentity\.id\s*\n\s*lifecycle:\s*'None'/);
    expect(app.body).toMatch(/server:\s*imagePull!?\.outputs\.loginServer\s*\n\s*identity:\s*pullIdentity\.id/);
  });
});

describe('deployment Bicep: identity, container app and bot', () => {
  const app = decl('app');
  const env = entries(main, 'Env');
  const secrets = entries(main, 'Secrets');
  const envNames = env.map((e) => e.name);

  it('one user-assigned identity is the Bot Framework identity and the ARM identity', () => {
    expect(byType('Microsoft.ManagedIdentity/userAssignedIdentities').map((d) => d.symbol)).toContain('botIdentity');
    expect(stringProp(app.body, app.bodySk, 'type')).toBe('UserAssigned');
    const get = (n: string): EnvEntry | undefined => env.find((e) => e.name === n);
    expect(get('MicrosoftAppType')?.expr).toBe("'UserAssignedMSI'");
    expect(get('MicrosoftAppId')?.expr).toBe('botIdentity.properties.clientId');
    expect(get('AZURE_CLIENT_ID')?.expr).toBe('botIdentity.properties.clientId');
    expect(get('MicrosoftAppTenantId')?.expr).toBe('botIdentity.properties.tenantId');
    expect(envNames).not.toContain('MicrosoftAppPassword'); // a managed identity has none
    expect(app.body).toMatch(/identity:\s*botIdentity\.id\s*\n\s*lifecycle:\s*'Main'/);

    const bot = byType('Microsoft.BotService/botServices')[0];
    expect(bot).toBeDefined();
    const b = bot as Decl;
    expect(stringProp(b.body, b.bodySk, 'kind')).toBe('azurebot');
    expect(stringProp(b.body, b.bodySk, 'msaAppType')).toBe('UserAssignedMSI');
    expect(b.body).toMatch(/msaAppId:\s*botIdentity\.properties\.clientId/);
    expect(b.body).toMatch(/msaAppMSIResourceId:\s*botIdentity\.id/);
    expect(b.body).toMatch(/msaAppTenantId:\s*botIdentity\.properties\.tenantId/);
    expect(b.body).toMatch(
      /endpoint:\s*'https:\/\/\$\{app\.properties\.configuration\.ingress\.fqdn\}\/api\/messages'/,
    );
    const teams = byType('Microsoft.BotService/botServices/channels')[0] as Decl;
    expect(stringProp(teams.body, teams.bodySk, 'name')).toBe('MsTeamsChannel');
    expect(stringProp(teams.body, teams.bodySk, 'channelName')).toBe('MsTeamsChannel');
    expect(teams.body).toMatch(/parent:\s*bot\b/);
  });

  it('sets exactly the variables src/config.ts reads, secrets only through secretRef', () => {
    // config.ts reads the environment; config-ci.ts and config-telemetry.ts are handed its values.
    const configSource = read('src/config.ts') + read('src/config-ci.ts') + read('src/config-telemetry.ts');
    const known = new Set<string>([...BOT_FRAMEWORK_SETTINGS, ...SECRET_SETTINGS, 'AZURE_CLIENT_ID']);
    for (const n of envNames) {
      // Either a Bot Framework setting or a name config.ts reads itself (AZURE_CLIENT_ID is DefaultAzureCredential's).
      if (!known.has(n)) expect(configSource, `src/config.ts reads ${n}`).toMatch(new RegExp(`'${n}'`));
    }
    for (const required of [
      'PORT',
      'LOG_LEVEL',
      'MicrosoftAppType',
      'MicrosoftAppId',
      'MicrosoftAppTenantId',
      'AZURE_CLIENT_ID',
      'AZURE_SUBSCRIPTION_IDS',
      'AZURE_RESOURCE_MANAGER_ENDPOINT',
      'DATABASE_URL',
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'SLACK_APP_TOKEN',
      'POLICY_FILE',
    ]) {
      expect(envNames, required).toContain(required);
    }
    expect(new Set(envNames).size).toBe(envNames.length);
    for (const e of env) {
      if ((SECRET_SETTINGS as readonly string[]).includes(e.name))
        expect(e.kind, `${e.name} must use secretRef`).toBe('secretRef');
      if (e.kind === 'secretRef') {
        const ref = e.expr.replace(/^'|'$/g, '');
        expect(
          secrets.map((s) => s.name),
          `secret ${ref}`,
        ).toContain(ref);
      }
    }
    expect(env.find((e) => e.name === 'PORT')?.expr).toBe('string(port)');
    expect(varValue(main, 'port').trim()).toBe(String(DEFAULT_PORT));
    // Every *Env var and every *Secrets var reaches the container.
    const concatOf = (key: string): string[] =>
      (new RegExp(`\\b${key}:\\s*concat\\(([^)]*)\\)`).exec(app.body)?.[1] ?? '').split(',').map((s) => s.trim());
    const envVars = [...main.sk.matchAll(/^var\s+(\w+Env)\s*=/gm)].map((m) => m[1]);
    const secretVars = [...main.sk.matchAll(/^var\s+(\w+Secrets)\s*=/gm)].map((m) => m[1]);
    expect(concatOf('env').sort()).toEqual(envVars.sort());
    expect(concatOf('secrets').sort()).toEqual(secretVars.sort());
  });

  it('takes every secret as a @secure() parameter and never gives one a real default', () => {
    for (const p of [
      'slackBotToken',
      'slackSigningSecret',
      'slackAppToken',
      'postgresAdminPassword',
      'externalDatabaseUrl',
    ]) {
      const param = mainParams.get(p);
      expect(param?.decorators, p).toMatch(/@secure\(\)/);
      expect([null, "''"]).toContain(param?.defaultValue ?? null);
    }
    for (const s of secrets) {
      // A secret's value is a @secure() parameter or a variable built from one; never a literal.
      expect(s.expr, s.name).not.toMatch(/^'/);
    }
    // Outputs never carry secure parameters or the database URL.
    const outputs = main.text.split('\n').filter((l) => l.startsWith('output '));
    for (const [name, p] of mainParams) {
      if (/@secure\(\)/.test(p.decorators)) for (const o of outputs) expect(o).not.toMatch(new RegExp(`\\b${name}\\b`));
    }
    for (const o of outputs) expect(o).not.toMatch(/\b(databaseUrl|postgresUrl)\b|listKeys/);
  });

  it('serves HTTPS only on the bot port and probes /healthz (liveness) and /readyz (readiness)', () => {
    const ingress = app.body.slice(app.body.indexOf('ingress:'));
    expect(ingress).toMatch(/external:\s*true/);
    expect(ingress).toMatch(/targetPort:\s*port\b/);
    expect(ingress).toMatch(/allowInsecure:\s*false/);
    const probes = [
      ...app.body.matchAll(
        /type:\s*'(Liveness|Readiness|Startup)'\s*\n\s*httpGet:\s*\{\s*\n\s*path:\s*'([^']+)'\s*\n\s*port:\s*(\w+)/g,
      ),
    ];
    const byKind = new Map(probes.map((p) => [p[1], { path: p[2], port: p[3] }]));
    expect(byKind.get('Liveness')).toEqual({ path: '/healthz', port: 'port' });
    expect(byKind.get('Readiness')).toEqual({ path: '/readyz', port: 'port' });
    if (byKind.has('Startup')) expect(byKind.get('Startup')?.path).toBe('/healthz');
    expect(app.body).toMatch(/minReplicas:\s*effectiveMinReplicas/);
    expect(mainParams.get('minReplicas')?.decorators).toMatch(/@minValue\(1\)/); // the expiry scheduler must run
  });

  it('deploys PostgreSQL only when asked for, and keeps SQLite on one replica with a persistent volume', () => {
    expect(mainParams.get('usePostgres')?.defaultValue).toBe('maxReplicas > 1');
    for (const d of mainDecls.filter(
      (x) =>
        x.target.startsWith('Microsoft.DBforPostgreSQL/') || x.target.startsWith('Microsoft.Network/privateDnsZones'),
    )) {
      expect(d.condition, d.symbol).toBe('deployPostgres');
    }
    expect(varValue(main, 'deployPostgres').trim()).toBe('usePostgres && !useExternalDatabase');
    expect(varValue(main, 'useSqlite').trim()).toBe('!usePostgres && !useExternalDatabase');
    expect(varValue(main, 'effectiveMaxReplicas').trim()).toBe('useSqlite ? 1 : maxReplicas');
    expect(app.body).toMatch(/maxReplicas:\s*effectiveMaxReplicas/);
    // PostgreSQL: private access, password in the DATABASE_URL secret only, TLS with host name verification.
    const pg = byType('Microsoft.DBforPostgreSQL/flexibleServers')[0] as Decl;
    expect(pg.body).toMatch(/delegatedSubnetResourceId:/);
    expect(pg.body).toMatch(/administratorLoginPassword:\s*postgresAdminPassword\b/);
    expect(varValue(main, 'postgresUrl')).toMatch(/uriComponent\(postgresAdminPassword\).*sslmode=verify-full/);
    // SQLite: Azure Files volume at the Dockerfile's data directory, only with SQLite.
    for (const d of mainDecls.filter(
      (x) =>
        x.target.startsWith('Microsoft.Storage/') || x.target.startsWith('Microsoft.App/managedEnvironments/storages'),
    )) {
      expect(d.condition, d.symbol).toBe('useSqlite');
    }
    expect(varValue(main, 'dataMounts')).toMatch(/mountPath:\s*'\/app\/data'/);
    expect(read('deployment/Dockerfile')).toMatch(/^VOLUME \["\/app\/data"\]$/m);
    expect(varValue(main, 'databaseUrl')).toContain("'sqlite:/app/data/acr-access.db'");
  });

  it('has the outputs the README relies on', () => {
    for (const o of ['botEndpoint', 'appFqdn', 'botIdentityClientId', 'slackRequestUrl', 'tenantId']) {
      expect(main.text).toMatch(new RegExp(`^output ${o} string =`, 'm'));
    }
  });
});

describe('deployment/main.parameters.json', () => {
  const file = JSON.parse(read('deployment/main.parameters.json')) as {
    $schema: string;
    contentVersion: string;
    parameters: Record<string, { value?: unknown; reference?: unknown }>;
  };

  it('is a deployment parameters file that names only parameters main.bicep declares', () => {
    expect(file.$schema).toMatch(/deploymentParameters\.json#$/);
    expect(file.contentVersion).toBe('1.0.0.0');
    for (const name of Object.keys(file.parameters)) expect([...mainParams.keys()], name).toContain(name);
  });

  it('gives every required parameter and no secret', () => {
    for (const p of mainParams.values()) {
      if (p.defaultValue === null) expect(Object.keys(file.parameters), `required ${p.name}`).toContain(p.name);
      if (/@secure\(\)/.test(p.decorators)) {
        // A secret may come from Key Vault (reference), never as a value in a committed file.
        expect(file.parameters[p.name]?.value, p.name).toBeUndefined();
      }
    }
  });

  it('uses values the @allowed lists accept', () => {
    for (const [name, entry] of Object.entries(file.parameters)) {
      const allowed = /@allowed\(\[([\s\S]*?)\]\)/.exec(mainParams.get(name)?.decorators ?? '');
      if (allowed && typeof entry.value === 'string') expect(stringList(allowed[1] ?? ''), name).toContain(entry.value);
    }
  });
});

describe('deployment/README.md', () => {
  const readme = fs.existsSync(path.join(root, 'deployment/README.md')) ? read('deployment/README.md') : '';

  it('says that nothing is built or deployed from CI, and how to build the image', () => {
    expect(readme).toMatch(/\b(nothing|not)\b[^.]*\b(built|deployed)\b[^.]*\bfrom CI\b/i);
    expect(readme).toContain('docker build -f deployment/Dockerfile');
    expect(readme).toContain('az deployment group create');
  });

  it('documents every parameter of main.bicep', () => {
    for (const name of mainParams.keys()) expect(readme, name).toContain(`\`${name}\``);
  });

  it('only tells people to run npm scripts that exist', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    for (const m of readme.matchAll(/npm run ([\w:-]+)/g)) expect(Object.keys(pkg.scripts), m[1]).toContain(m[1]);
  });
});
