/**
 * azure.yaml and deployment/azd: `azd up` must find everything it is told about. azure.yaml is validated against the
 * fields of azd's published schema that this project uses (vendored below); the infra module and its parameters file
 * must exist; the wrapper must pass main.bicep every parameter main.bicep requires, and only parameters it declares;
 * the container app must carry the azd-service-name tag of the service azure.yaml names; and the policy azd deploys
 * must be one the bot accepts. There is no azd or Bicep CLI here, so the templates are read as text.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validatePolicy } from '../../src/core/policy/validate.js';

const root = path.resolve(import.meta.dirname, '../..');
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');

/**
 * The part of azd's schema for azure.yaml that this project relies on, copied from
 * https://raw.githubusercontent.com/Azure/azure-dev/main/schemas/v1.0/azure.yaml.json (draft 2019-09): `name`,
 * `metadata.template`, `infra.{provider,path,module}`, and per service `host` (required), `project`, `language` and
 * `docker.{path,context}`. Other fields are allowed, as in the full schema.
 */
const AZD_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2019-09/schema',
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 2, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
    metadata: { type: 'object', properties: { template: { type: 'string' } } },
    infra: {
      type: 'object',
      properties: {
        provider: { type: 'string', pattern: '^[a-z0-9.]+$' },
        path: { type: 'string' },
        module: { type: 'string' },
      },
    },
    services: {
      type: 'object',
      minProperties: 1,
      additionalProperties: {
        type: 'object',
        required: ['host'],
        properties: {
          project: { type: 'string' },
          host: { type: 'string' },
          language: { type: 'string' },
          docker: {
            type: 'object',
            properties: { path: { type: 'string' }, context: { type: 'string' } },
          },
        },
      },
    },
  },
} as const;

interface AzureYaml {
  name: string;
  infra: { provider: string; path: string; module: string };
  services: Record<
    string,
    { project: string; host: string; language: string; docker: { path: string; context: string } }
  >;
}

const azureYamlText = read('azure.yaml');
const azureYaml = parse(azureYamlText) as AzureYaml;
const wrapper = read(`${azureYaml.infra.path}/${azureYaml.infra.module}.bicep`);
const main = read('deployment/main.bicep');

/** `param <name> <type> [= default]` declarations at the start of a line. */
function params(bicep: string): Map<string, { required: boolean }> {
  return new Map(
    [...bicep.matchAll(/^param (\w+) \S+( =)?/gm)].map((m) => [m[1]!, { required: m[2] === undefined }] as const),
  );
}

/** The keys of the `params: { … }` block of the module that deploys ../main.bicep. */
function passed(bicep: string): string[] {
  const start = bicep.indexOf("'../main.bicep'");
  const block = bicep.slice(bicep.indexOf('params: {', start));
  const body = block.slice(0, block.indexOf('\n  }\n'));
  return [...body.matchAll(/^ {4}(\w+):/gm)].map((m) => m[1]!);
}

describe('azure.yaml (azd)', () => {
  it("is valid against azd's schema, with the editor hint to the same schema", () => {
    const ajv = new Ajv2019({ allErrors: true, strict: false });
    const validate = ajv.compile(AZD_SCHEMA);
    expect(validate(azureYaml) ? [] : validate.errors).toEqual([]);
    expect(azureYamlText).toMatch(
      /^# yaml-language-server: \$schema=https:\/\/raw\.githubusercontent\.com\/Azure\/azure-dev\/main\/schemas\/v1\.0\/azure\.yaml\.json$/m,
    );
    // The check is real: a name azd refuses fails it.
    expect(validate({ ...azureYaml, name: 'ACR Access' })).toBe(false);
  });

  it('names files that exist: the Bicep module, its parameters, the Dockerfile and its context', () => {
    expect(azureYaml.infra.provider).toBe('bicep');
    expect(fs.existsSync(path.join(root, azureYaml.infra.path, `${azureYaml.infra.module}.parameters.json`))).toBe(
      true,
    );
    const [name, service] = Object.entries(azureYaml.services)[0]!;
    expect(name).toBe('bot');
    expect(service.host).toBe('containerapp');
    const project = path.join(root, service.project);
    expect(fs.existsSync(path.join(project, service.docker.path))).toBe(true);
    expect(fs.existsSync(path.join(project, service.docker.context, 'package.json'))).toBe(true);
  });

  it('the wrapper passes main.bicep every parameter it requires, and none it does not declare', () => {
    const mainParams = params(main);
    const given = passed(wrapper);
    expect(given.length).toBeGreaterThan(5);
    for (const p of given) expect(mainParams.has(p), `main.bicep declares ${p}`).toBe(true);
    for (const [p, { required }] of mainParams) if (required) expect(given, `${p} is required`).toContain(p);
  });

  it('the parameters file sets every required wrapper parameter, from azd environment variables', () => {
    const file = JSON.parse(read(`${azureYaml.infra.path}/${azureYaml.infra.module}.parameters.json`)) as {
      parameters: Record<string, { value: string }>;
    };
    const wrapperParams = params(wrapper);
    for (const key of Object.keys(file.parameters)) expect(wrapperParams.has(key), key).toBe(true);
    for (const [p, { required }] of wrapperParams) if (required) expect(Object.keys(file.parameters)).toContain(p);
    expect(file.parameters.environmentName?.value).toMatch(/^\$\{AZURE_ENV_NAME\}$/);
    // After the first deploy, a provision keeps the image azd deployed instead of going back to the placeholder.
    expect(file.parameters.image?.value).toMatch(/^\$\{SERVICE_BOT_IMAGE_NAME/);
  });

  it('tags the container app for azd and tells azd where to push the image', () => {
    expect(wrapper).toMatch(/appTags: \{\s*'azd-service-name': 'bot'\s*\}/);
    expect(main).toMatch(/tags: union\(tags, appTags\)/);
    expect(wrapper).toMatch(
      /^output AZURE_CONTAINER_REGISTRY_ENDPOINT string = bot\.outputs\.imageRegistryLoginServer$/m,
    );
    expect(main).toMatch(/^output imageRegistryLoginServer string = /m);
  });

  it('deploys a policy the bot accepts', () => {
    expect(wrapper).toContain("loadTextContent('policy.yaml')");
    const result = validatePolicy(parse(read(`${azureYaml.infra.path}/policy.yaml`)));
    expect(result.ok ? [] : result.issues).toEqual([]);
  });
});
