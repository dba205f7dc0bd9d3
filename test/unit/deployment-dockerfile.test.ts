/**
 * deployment/Dockerfile reviewed by reading (there is no Docker engine here, and CI does not build images): the file
 * is parsed into stages and instructions and checked against the deployment checklist (least privilege applied to
 * the image): multi-stage on a Node 24 slim image, native build only in the build stage,
 * production dependencies only and a non-root user at run time, health check on /healthz, data volume, no secrets.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BOT_FRAMEWORK_SETTINGS, DEFAULT_DATABASE_URL, DEFAULT_PORT, SECRET_SETTINGS } from '../../src/config.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (rel: string): string => fs.readFileSync(path.join(root, rel), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}
interface Stage {
  from: string;
  name: string | null;
  instructions: Instruction[];
}

/** Dockerfile → instructions: comments dropped, `\` continuations joined (Dockerfile reference, "Format"). */
function parseDockerfile(text: string): { globalArgs: Map<string, string>; stages: Stage[]; all: Instruction[] } {
  const all: Instruction[] = [];
  const lines = text.split('\n');
  let buffer = '';
  let start = 0;
  for (let i = 0; i < lines.length; i += 1) {
    const raw = lines[i] ?? '';
    const trimmed = raw.trim();
    if (buffer === '' && (trimmed === '' || trimmed.startsWith('#'))) continue;
    if (buffer !== '' && trimmed.startsWith('#')) continue; // comment lines inside a continuation are skipped
    if (buffer === '') start = i + 1;
    if (trimmed.endsWith('\\')) {
      buffer += `${trimmed.slice(0, -1)} `;
      continue;
    }
    buffer += trimmed;
    const m = /^(\S+)\s*(.*)$/s.exec(buffer);
    if (m) all.push({ keyword: (m[1] ?? '').toUpperCase(), args: (m[2] ?? '').trim(), line: start });
    buffer = '';
  }
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  for (const ins of all) {
    if (ins.keyword === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      const image = (m?.[1] ?? '').replace(/\$\{?(\w+)\}?/g, (_, n: string) => globalArgs.get(n) ?? `\${${n}}`);
      stages.push({ from: image, name: m?.[2] ?? null, instructions: [] });
    } else if (stages.length === 0) {
      if (ins.keyword === 'ARG') {
        const [k, v] = ins.args.split('=');
        if (k) globalArgs.set(k.trim(), (v ?? '').trim());
      }
    } else {
      stages[stages.length - 1]?.instructions.push(ins);
    }
  }
  return { globalArgs, stages, all };
}

/** Exec-form JSON array or shell form → argv-ish list. */
function execForm(args: string): string[] | null {
  try {
    const v: unknown = JSON.parse(args);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
  } catch {
    return null;
  }
}

const dockerfile = parseDockerfile(read('deployment/Dockerfile'));
const { stages } = dockerfile;
const build = stages[0];
const runtime = stages[stages.length - 1];
const runs = (s: Stage | undefined): Instruction[] => (s?.instructions ?? []).filter((i) => i.keyword === 'RUN');
const of = (s: Stage | undefined, keyword: string): Instruction[] =>
  (s?.instructions ?? []).filter((i) => i.keyword === keyword);

describe('deployment/Dockerfile', () => {
  it('is multi-stage on a pinned Node.js 24 slim image, the same for build and runtime', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) {
      // node:24-bookworm-slim or node:24-trixie-slim, optionally with a version and/or a digest; never :latest.
      expect(s.from).toMatch(/^node:24(\.\d+){0,2}-(bookworm|trixie)-slim(@sha256:[0-9a-f]{64})?$/);
    }
    // The addon compiled in the build stage is loaded in the runtime stage: same libc and Node ABI.
    expect(runtime?.from).toBe(build?.from);
    expect(runtime?.name).not.toBe(build?.name);
  });

  it('installs the toolchain for better-sqlite3 in the build stage only', () => {
    const apt = runs(build)
      .map((r) => r.args)
      .join(' ');
    for (const pkg of ['python3', 'make', 'g++'])
      expect(apt).toMatch(new RegExp(`apt-get install[^&;]*\\s${pkg.replace('+', '\\+')}(\\s|$)`));
    for (const r of runs(runtime))
      expect(r.args).not.toMatch(/apt-get install|\bg\+\+|\bmake\b|python3|build-essential/);
  });

  it('builds from the lockfile, compiles better-sqlite3 from source and prunes to production dependencies', () => {
    const buildRuns = runs(build).map((r) => r.args);
    const ci = buildRuns.findIndex((r) => /\bnpm ci\b/.test(r));
    const rebuild = buildRuns.findIndex((r) => /\bnpm rebuild better-sqlite3\b/.test(r));
    const tsc = buildRuns.findIndex((r) => /\bnpm run build\b/.test(r));
    const prune = buildRuns.findIndex((r) => /\bnpm prune\b.*--omit=dev|\bnpm ci\b.*--omit=dev/.test(r));
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(rebuild).toBeGreaterThan(ci);
    expect(tsc).toBeGreaterThan(ci);
    expect(prune).toBeGreaterThan(tsc);
    // The addon must still load once the tree is pruned (and whatever else the last step removed).
    expect(buildRuns[prune]).toMatch(/node -e ".*require\('better-sqlite3'\)/);
    // `npm install` would rewrite the lockfile: the image must be built from package-lock.json as committed.
    expect(buildRuns.join('\n')).not.toMatch(/\bnpm (install|i)\b/);
    // .prebuild-installrc (build from source, never download a binary) is in the context before the native build,
    // and says so.
    const copies = of(build, 'COPY').map((c) => c.args);
    expect(copies.some((c) => /\.prebuild-installrc/.test(c) && /package-lock\.json/.test(c))).toBe(true);
    expect(read('.prebuild-installrc')).toMatch(/^buildFromSource=true$/m);
    // npm 11 warns about config keys it does not know, from a file or the environment (npm_config_build_from_source).
    expect(build?.instructions.some((i) => i.keyword === 'ENV' && /build_from_source/.test(i.args))).toBe(false);
  });

  it('never runs the `prepare` script (tsc) before the sources are there or after devDependencies are gone', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.prepare ?? '').toMatch(/build/); // the reason for the rule below; drop it if prepare goes away
    const ins = build?.instructions ?? [];
    const srcCopy = ins.findIndex((i) => i.keyword === 'COPY' && /(^|\s)src\b/.test(i.args));
    expect(srcCopy).toBeGreaterThan(0);
    ins.forEach((i, n) => {
      if (i.keyword !== 'RUN') return;
      const installs = /\bnpm (ci|prune)\b/.test(i.args);
      if (installs && (n < srcCopy || /--omit=dev/.test(i.args))) expect(i.args).toMatch(/--ignore-scripts/);
    });
  });

  it('ships only production dependencies, dist and package.json in the runtime stage', () => {
    for (const c of of(runtime, 'COPY')) {
      expect(c.args).toMatch(/--from=/); // nothing from the build context directly
      const parts = c.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      const sources = parts.slice(0, -1);
      for (const src of sources) expect(src).toMatch(/^\/app\/(node_modules|dist|package\.json|manifest)\/?$/);
    }
    const copied = of(runtime, 'COPY')
      .map((c) => c.args)
      .join(' ');
    expect(copied).toMatch(/\/app\/node_modules/);
    expect(copied).toMatch(/\/app\/dist/);
    for (const r of runs(runtime)) expect(r.args).not.toMatch(/\bnpm\b|\byarn\b|\bpnpm\b/);
    expect(
      of(runtime, 'ENV')
        .map((e) => e.args)
        .join(' '),
    ).toMatch(/NODE_ENV=production\b/);
  });

  it('copies manifest/ into the runtime image if the running app reads it', () => {
    // A string literal naming manifest/… in the code the image runs (src/, less the CLI) means a runtime read.
    const literal = /(['"`])[^'"`\n]*\bmanifest\/[^'"`\n]*\1/;
    const reads = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return p === path.join(root, 'src', 'cli') ? [] : reads(p);
        if (!e.name.endsWith('.ts')) return [];
        const code = fs
          .readFileSync(p, 'utf8')
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/(^|\s)\/\/[^\n]*/g, '$1');
        return literal.test(code) ? [path.relative(root, p)] : [];
      });
    const readers = reads(path.join(root, 'src'));
    const copied = of(runtime, 'COPY')
      .map((c) => c.args)
      .join(' ');
    if (readers.length > 0) expect(copied, `read at run time by ${readers.join(', ')}`).toMatch(/\/app\/manifest/);
  });

  it('runs as a non-root user', () => {
    const users = of(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    const last = users[users.length - 1]?.args.split(':')[0] ?? '';
    expect(['root', '0', '']).not.toContain(last);
    const ins = runtime?.instructions ?? [];
    const userAt = ins.lastIndexOf(users[users.length - 1] as Instruction);
    const cmdAt = ins.findIndex((i) => i.keyword === 'CMD');
    expect(userAt).toBeLessThan(cmdAt);
  });

  it('exposes the bot port, checks /healthz without curl or wget, and stops with SIGTERM', () => {
    expect(of(runtime, 'EXPOSE').map((e) => e.args.split('/')[0])).toContain(String(DEFAULT_PORT));
    const hc = of(runtime, 'HEALTHCHECK');
    expect(hc).toHaveLength(1);
    const hcArgs = hc[0]?.args ?? '';
    expect(hcArgs).toMatch(/\bCMD\b/);
    expect(hcArgs).toMatch(/\/healthz/);
    expect(hcArgs).not.toMatch(/\bcurl\b|\bwget\b/);
    const argv = execForm(hcArgs.replace(/^.*?\bCMD\s+/, ''));
    expect(argv?.[0]).toBe('node');
    expect(of(runtime, 'STOPSIGNAL').map((s) => s.args)).toEqual(['SIGTERM']);
  });

  it('starts node dist/main.js in exec form, which `npm run build` produces from src/main.ts', () => {
    const cmd = of(runtime, 'CMD');
    expect(cmd).toHaveLength(1);
    expect(execForm(cmd[0]?.args ?? '')).toEqual(['node', 'dist/main.js']);
    expect(of(runtime, 'ENTRYPOINT')).toHaveLength(0); // the base image's entrypoint execs CMD
    expect(of(runtime, 'WORKDIR').map((w) => w.args)).toContain('/app');
    const build = JSON.parse(read('tsconfig.build.json')) as { compilerOptions: { rootDir: string; outDir: string } };
    expect(build.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
    expect(fs.existsSync(path.join(root, 'src/main.ts'))).toBe(true);
  });

  it('declares the SQLite data directory as a volume writable by the runtime user', () => {
    // DEFAULT_DATABASE_URL is sqlite:./data/acr-access.db, relative to WORKDIR /app.
    expect(DEFAULT_DATABASE_URL).toBe('sqlite:./data/acr-access.db');
    const volumes = of(runtime, 'VOLUME').flatMap((v) => execForm(v.args) ?? v.args.split(/\s+/));
    expect(volumes).toContain('/app/data');
    const user = of(runtime, 'USER').at(-1)?.args ?? '';
    const chown =
      runs(runtime)
        .map((r) => r.args)
        .find((r) => /chown\b.*\/app\/data/.test(r)) ?? '';
    expect(chown).toContain(user.includes(':') ? user : `${user}:`);
  });

  it('bakes in no secret and fetches nothing with ADD', () => {
    const names = new Set<string>([...SECRET_SETTINGS, 'MicrosoftAppPassword', 'CertificatePrivateKey']);
    for (const ins of dockerfile.all) {
      expect(ins.keyword).not.toBe('ADD'); // COPY only: no remote URLs, no archive auto-extraction
      if (ins.keyword === 'ENV' || ins.keyword === 'ARG') {
        for (const m of ins.args.matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)(?==|\s|$)/g)) {
          const name = m[1] ?? '';
          expect(names.has(name), `${ins.keyword} ${name} on line ${ins.line}`).toBe(false);
          expect(name, `${ins.keyword} ${name} on line ${ins.line}`).not.toMatch(
            /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE_?KEY|CONNECTION_?STRING/i,
          );
        }
      }
    }
    // Bot Framework settings are runtime configuration, never image configuration.
    const envArgs = dockerfile.all
      .filter((i) => i.keyword === 'ENV')
      .map((i) => i.args)
      .join(' ');
    for (const s of BOT_FRAMEWORK_SETTINGS) expect(envArgs).not.toMatch(new RegExp(`\\b${s}=`));
  });

  it('builds from files that exist and that .dockerignore lets into the context', () => {
    const ignore = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    // Allow-list style: everything excluded, then the build inputs re-included.
    expect(ignore[0]).toBe('*');
    const allowed = ignore.filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/(\*\*)?$/, ''));
    for (const c of stages
      .flatMap((s) => s.instructions)
      .filter((i) => i.keyword === 'COPY' && !/--from=/.test(i.args))) {
      const parts = c.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const src of parts.slice(0, -1)) {
        const clean = src.replace(/\/$/, '');
        expect(fs.existsSync(path.join(root, clean)), `${clean} exists`).toBe(true);
        expect(allowed, `${clean} is let into the build context`).toContain(clean);
      }
    }
    // Local state never enters the context.
    for (const never of ['.env', 'data', 'node_modules', 'dist', '.git']) expect(allowed).not.toContain(never);
    expect(ignore).toContain('**/.env');
  });
});
