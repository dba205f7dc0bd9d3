/**
 * deployment/aks: every object is validated against the Kubernetes OpenAPI schemas (kubernetes-models, which ships
 * them: no cluster, no network), then checked for what running this bot needs: workload identity on the pods and the
 * service account, probes on the bot's own /healthz and /readyz, limits, a disruption budget and a network policy
 * that select the pods, PostgreSQL from a Secret (two replicas cannot share SQLite), and an approval policy the
 * bot's own validator accepts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigMap, Namespace, Service, ServiceAccount, type IContainer } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { validatePolicy } from '../../src/core/policy/validate.js';

const root = path.resolve(import.meta.dirname, '../..');
const dir = path.join(root, 'deployment/aks');

type Obj = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string } };

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

function load(file: string): Obj[] {
  const docs = parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'));
  return docs.map((d) => {
    expect(d.errors, file).toEqual([]);
    return d.toJS() as Obj;
  });
}

const kustomization = load('kustomization.yaml')[0] as unknown as { resources: string[] };
const objects = kustomization.resources.flatMap((f) => load(f).map((o) => ({ file: f, o })));
const one = <T>(kind: string, name = 'acr-access-bot') =>
  objects.find(({ o }) => o.kind === kind && o.metadata.name === name)?.o as unknown as T;

const deployment = one<Deployment>('Deployment');
const pod = deployment.spec!.template;
const bot = pod.spec!.containers[0] as IContainer;

describe('deployment/aks: Kubernetes manifests', () => {
  it('kustomization lists every manifest in the folder, and each object is valid against the Kubernetes schemas', () => {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
    expect(objects.length).toBeGreaterThanOrEqual(8);
    for (const { file, o } of objects) {
      const Model = MODELS[`${o.apiVersion}/${o.kind}`];
      expect(Model, `${file}: ${o.apiVersion} ${o.kind} has a model`).toBeDefined();
      expect(() => new Model!(o as never).validate(), `${file}: ${o.kind} ${o.metadata.name}`).not.toThrow();
      expect((o.metadata as { namespace?: string }).namespace ?? o.metadata.name, file).toBe('acr-access-bot');
    }
  });

  it('the schema check is real: a wrong type or a missing field fails it', () => {
    const broken = structuredClone(deployment) as unknown as { spec: { replicas: unknown; selector?: unknown } };
    broken.spec.replicas = 'two';
    expect(() => new Deployment(broken as never).validate()).toThrow();
    delete broken.spec.selector;
    broken.spec.replicas = 2;
    expect(() => new Deployment(broken as never).validate()).toThrow();
  });

  it('workload identity: the pods are labelled, the service account names the managed identity', () => {
    expect(pod.metadata!.labels!['azure.workload.identity/use']).toBe('true');
    const sa = one<ServiceAccount>('ServiceAccount');
    expect(pod.spec!.serviceAccountName).toBe(sa.metadata!.name);
    const clientId = sa.metadata!.annotations!['azure.workload.identity/client-id'];
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    // The managed identity is also the bot's Bot Framework identity: no client secret anywhere.
    const env = one<ConfigMap>('ConfigMap').data!;
    expect(env.MicrosoftAppType).toBe('UserAssignedMSI');
    expect(env.MicrosoftAppId).toBe(clientId);
    expect(JSON.stringify(objects)).not.toMatch(/MicrosoftAppPassword/);
  });

  it("the settings are ones the bot's configuration accepts", () => {
    const env: Record<string, string> = {
      ...one<ConfigMap>('ConfigMap').data!,
      DATABASE_URL: 'postgres://bot@db.example:5432/acr',
    };
    for (const e of bot.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
    // The mounted policy file, written where this test can put it.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-policy-'));
    env.POLICY_FILE = path.join(tmp, 'policy.yaml');
    fs.writeFileSync(env.POLICY_FILE, one<ConfigMap>('ConfigMap', 'acr-access-bot-policy').data!['policy.yaml']!);
    const config = loadConfig(env);
    expect(config.botFramework).toMatchObject({ appType: 'UserAssignedMSI', anonymous: false });
    expect(config.database.kind).toBe('postgres');
    expect(config.ciApi).toMatchObject({ audiences: ['api://acr-access-bot'], tenantId: env.MicrosoftAppTenantId });
    expect(config.port).toBe(bot.ports![0]!.containerPort);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('probes on /healthz (liveness, start-up) and /readyz (readiness), on the container port', () => {
    const portName = bot.ports![0]!.name;
    expect(bot.livenessProbe?.httpGet).toMatchObject({ path: '/healthz', port: portName });
    expect(bot.startupProbe?.httpGet).toMatchObject({ path: '/healthz', port: portName });
    expect(bot.readinessProbe?.httpGet).toMatchObject({ path: '/readyz', port: portName });
  });

  it('requests and limits, a hardened container, an immutable image tag', () => {
    expect(bot.resources?.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(bot.resources?.limits).toMatchObject({ memory: expect.any(String) });
    expect(bot.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.spec!.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(pod.spec!.automountServiceAccountToken).toBe(false);
    expect(bot.image).toMatch(/:[\w.-]+$|@sha256:/);
    expect(bot.image).not.toMatch(/:latest$/);
  });

  it('PostgreSQL for more than one replica, its URL from a Secret, never a literal', () => {
    expect(deployment.spec!.replicas).toBeGreaterThanOrEqual(2);
    const db = bot.env!.find((e) => e.name === 'DATABASE_URL');
    expect(db?.value).toBeUndefined();
    expect(db?.valueFrom?.secretKeyRef).toMatchObject({ name: 'acr-access-bot', key: 'DATABASE_URL' });
    expect(db?.valueFrom?.secretKeyRef?.optional).toBeFalsy();
    for (const secret of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'])
      expect(bot.env!.find((e) => e.name === secret)?.valueFrom?.secretKeyRef?.name).toBe('acr-access-bot');
  });

  it('the Service, the disruption budget and the network policy select exactly the pods', () => {
    const labels = pod.metadata!.labels!;
    const selects = (sel: Record<string, string>) => Object.entries(sel).every(([k, v]) => labels[k] === v);
    expect(selects(deployment.spec!.selector.matchLabels!)).toBe(true);
    expect(selects(one<Service>('Service').spec!.selector!)).toBe(true);
    const pdb = one<PodDisruptionBudget>('PodDisruptionBudget');
    expect(selects(pdb.spec!.selector!.matchLabels!)).toBe(true);
    expect(pdb.spec!.minAvailable).toBeLessThan(deployment.spec!.replicas!);
    const np = one<NetworkPolicy>('NetworkPolicy');
    expect(selects(np.spec!.podSelector.matchLabels!)).toBe(true);
    expect(np.spec!.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.spec!.ingress!.flatMap((r) => r.ports ?? []).map((p) => p.port)).toEqual(bot.ports!.map((p) => p.name));
    // The metrics port is its own, named in METRICS_PORT, open to the cluster's scraper and never to the ingress.
    const metrics = bot.ports!.find((p) => p.name === 'metrics')!;
    expect(bot.env!.find((e) => e.name === 'METRICS_PORT')?.value).toBe(String(metrics.containerPort));
    const fromIngress = np.spec!.ingress!.find((r) => r.ports?.some((p) => p.port === 'http'))!;
    expect(fromIngress.ports!.map((p) => p.port)).toEqual(['http']);
    expect(one<Service>('Service').spec!.ports!.map((p) => p.targetPort)).not.toContain('metrics');
    const egressPorts = np.spec!.egress!.flatMap((r) => r.ports ?? []).map((p) => p.port);
    expect(new Set(egressPorts)).toEqual(new Set([53, 5432, 443]));
  });

  it('the approval policy in the ConfigMap is one the bot accepts, mounted where POLICY_FILE points', () => {
    const policy = one<ConfigMap>('ConfigMap', 'acr-access-bot-policy');
    const result = validatePolicy(parseAllDocuments(policy.data!['policy.yaml']!)[0]!.toJS());
    expect(result.ok ? [] : result.issues).toEqual([]);
    const mount = bot.volumeMounts!.find((m) => m.name === 'policy')!;
    const file = one<ConfigMap>('ConfigMap').data!.POLICY_FILE!;
    expect(path.dirname(file)).toBe(mount.mountPath);
    const volume = pod.spec!.volumes!.find((v) => v.name === 'policy')!;
    expect(volume.configMap?.name).toBe(policy.metadata!.name);
    expect(volume.configMap?.items).toEqual([{ key: 'policy.yaml', path: path.basename(file) }]);
  });
});
