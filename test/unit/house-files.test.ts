/**
 * The files a newcomer and a supply-chain scanner look for: the licence matches package.json, SECURITY.md says how to
 * report privately, renovate.json's rules name packages we actually use, and `npm run sbom` writes a CycloneDX SBOM
 * of the whole locked tree, production packages `required` and development ones marked as such. (npm 11's
 * `--omit dev` also drops production packages that a dev tool shares, `yaml` here, so the script does not use it.)
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  license: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const deps = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)];

describe('house files', () => {
  it('LICENSE is the licence package.json declares', () => {
    expect(pkg.license).toBe('MIT');
    expect(read('LICENSE')).toMatch(/^MIT License\n/);
    expect(read('LICENSE')).toContain('THE SOFTWARE IS PROVIDED "AS IS"');
  });

  it('SECURITY.md says where to report, privately', () => {
    const text = read('SECURITY.md');
    expect(text).toMatch(/Report a vulnerability/);
    expect(text).toMatch(/not in a public issue/);
  });

  it('renovate.json: every package rule matches a dependency we have (a rule for nothing is a rule that rotted)', () => {
    const config = JSON.parse(read('renovate.json')) as {
      $schema: string;
      packageRules: Array<{ matchPackageNames?: string[] }>;
    };
    expect(config.$schema).toBe('https://docs.renovatebot.com/renovate-schema.json');
    for (const rule of config.packageRules) {
      for (const name of rule.matchPackageNames ?? []) {
        const re = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '.*')}$`);
        expect(
          deps.some((d) => re.test(d)),
          name,
        ).toBe(true);
      }
    }
  });

  it('npm run sbom writes a CycloneDX SBOM: every production dependency required, dev tools marked', async () => {
    const script = pkg.scripts.sbom!;
    expect(script).toMatch(/^npm sbom --sbom-format cyclonedx .*> sbom\.cdx\.json$/);
    expect(read('.gitignore')).toMatch(/^sbom\.cdx\.json$/m);
    // The script's command without its redirect, so the test leaves no file behind.
    const [command] = script.split(' > ');
    const [bin, ...args] = command!.split(' ');
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    const { stdout } = await promisify(execFile)(bin!, args, { cwd: root, env, maxBuffer: 64 << 20, timeout: 60_000 });
    const bom = JSON.parse(stdout) as {
      bomFormat: string;
      specVersion: string;
      metadata: { component: { licenses: Array<{ license: { id: string } }> } };
      components: Array<{ name: string; scope?: string; properties?: Array<{ name: string; value: string }> }>;
    };
    expect(bom.bomFormat).toBe('CycloneDX');
    expect(bom.metadata.component.licenses[0]?.license.id).toBe('MIT');
    const scope = new Map(bom.components.map((c) => [c.name, c]));
    for (const d of Object.keys(pkg.dependencies)) expect(scope.get(d)?.scope, d).toBe('required');
    expect(scope.get('vitest')?.properties).toContainEqual({ name: 'cdx:npm:package:development', value: 'true' });
  });
});
