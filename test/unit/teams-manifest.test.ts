/**
 * The Teams app package: manifest.json validated offline against the v1.22 schema that @microsoft/app-manifest
 * bundles, icon sizes and transparency read from the PNG files, and the zip built by `npm run package:teams`
 * unzipped to check its layout.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MANIFEST_DIR, buildManifest, buildPackage, crc32 } from '../../tools/package-teams.js';

const require = createRequire(import.meta.url);
const { AppManifestUtils } = require('@microsoft/app-manifest') as {
  AppManifestUtils: { validateAgainstSchema(m: unknown, schema: unknown): Promise<string[]> };
};
const SCHEMA = require('@microsoft/app-manifest/build/json-schemas/teams/v1.22/MicrosoftTeams.schema.json') as unknown;
const BOT_ID = '5c0a1f3e-2b4d-4c6e-8f10-9a8b7c6d5e4f';
const template = JSON.parse(fs.readFileSync(path.join(MANIFEST_DIR, 'manifest.json'), 'utf8')) as Record<string, any>;

interface Png {
  width: number;
  height: number;
  colourType: number;
  pixels: Buffer; // RGBA rows without filter bytes (filter 0 only, as the tool writes)
}

function readPng(buf: Buffer): Png {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let off = 8;
  let width = 0,
    height = 0,
    colourType = -1;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('ascii', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    expect(buf.readUInt32BE(off + 8 + len), `${type} CRC`).toBe(crc32(buf.subarray(off + 4, off + 8 + len)));
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      colourType = data[9]!;
    }
    if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * 4 + 1;
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * stride]).toBe(0);
    raw.copy(pixels, y * width * 4, y * stride + 1, (y + 1) * stride);
  }
  return { width, height, colourType, pixels };
}

/** Entries of a zip, read from its central directory (what Teams reads). */
function unzip(buf: Buffer): Map<string, Buffer> {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(eocd).toBeGreaterThan(0);
  const count = buf.readUInt16LE(eocd + 10);
  let off = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(off)).toBe(0x02014b50);
    const method = buf.readUInt16LE(off + 10);
    const crc = buf.readUInt32LE(off + 16);
    const size = buf.readUInt32LE(off + 20);
    const nameLen = buf.readUInt16LE(off + 28),
      extraLen = buf.readUInt16LE(off + 30),
      commentLen = buf.readUInt16LE(off + 32);
    const local = buf.readUInt32LE(off + 42);
    const name = buf.toString('utf8', off + 46, off + 46 + nameLen);
    expect(buf.readUInt32LE(local)).toBe(0x04034b50);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const stored = buf.subarray(start, start + size);
    const data = method === 8 ? zlib.inflateRawSync(stored) : stored;
    expect(crc32(data), name).toBe(crc);
    out.set(name, data);
    off += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

describe('Teams manifest and package', () => {
  it('manifest.json is valid against the bundled v1.22 schema (offline)', async () => {
    expect(template.$schema).toBe(
      'https://developer.microsoft.com/json-schemas/teams/v1.22/MicrosoftTeams.schema.json',
    );
    expect(template.manifestVersion).toBe('1.22');
    expect(await AppManifestUtils.validateAgainstSchema(template, SCHEMA)).toEqual([]);
  });

  it('the validator really checks (groupchat is rejected by v1.22)', async () => {
    const bad = structuredClone(template);
    bad.bots[0].scopes = ['groupchat'];
    expect((await AppManifestUtils.validateAgainstSchema(bad, SCHEMA)).join('\n')).toContain('/bots/0/scopes/0');
  });

  it('declares the scopes, RSC permissions, web application info and commands the bot relies on', () => {
    const bot = template.bots[0];
    expect(bot.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(template.authorization.permissions.resourceSpecific).toEqual([
      { type: 'Application', name: 'ChannelMessage.Read.Group' },
      { type: 'Application', name: 'ChatMessage.Read.Chat' },
    ]);
    expect(template.webApplicationInfo).toMatchObject({ id: expect.any(String), resource: expect.any(String) });
    const titles = bot.commandLists.flatMap((l: { commands: Array<{ title: string }> }) =>
      l.commands.map((c) => c.title),
    );
    expect(titles).toEqual(
      expect.arrayContaining(['help', '<registry>', '<registry> <ip>', 'requests', 'audit <registry>']),
    );
  });

  it('icons: color.png 192×192, outline.png 32×32 white on transparent', () => {
    const color = readPng(fs.readFileSync(path.join(MANIFEST_DIR, 'color.png')));
    expect([color.width, color.height, color.colourType]).toEqual([192, 192, 6]);
    const outline = readPng(fs.readFileSync(path.join(MANIFEST_DIR, 'outline.png')));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let transparent = 0,
      opaque = 0;
    for (let i = 0; i < outline.pixels.length; i += 4) {
      const [r, g, b, a] = outline.pixels.subarray(i, i + 4);
      if (a === 0) transparent++;
      else {
        opaque++;
        expect([r, g, b]).toEqual([255, 255, 255]);
      }
    }
    expect(transparent).toBeGreaterThan(32 * 32 * 0.3);
    expect(opaque).toBeGreaterThan(20);
  });

  it('the package has manifest.json, color.png and outline.png at the zip root, with the ids filled in', async () => {
    const entries = unzip(buildPackage({ botId: BOT_ID }));
    expect([...entries.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
    expect(manifest.id).toBe(BOT_ID);
    expect(manifest.bots[0].botId).toBe(BOT_ID);
    expect(manifest.webApplicationInfo.id).toBe(BOT_ID);
    expect(await AppManifestUtils.validateAgainstSchema(manifest, SCHEMA)).toEqual([]);
    expect(entries.get('color.png')).toEqual(fs.readFileSync(path.join(MANIFEST_DIR, 'color.png')));
  });

  it('refuses a missing or malformed bot id', () => {
    expect(() => buildManifest(template, { botId: 'not-a-guid' })).toThrow(/GUID/);
    expect(() => buildManifest(template, { botId: '00000000-0000-0000-0000-000000000000' })).toThrow(/bot id/);
    expect(() => buildManifest(template, { botId: BOT_ID, version: 'v2' })).toThrow(/version/);
  });

  it('`npm run package:teams` takes the bot id from MicrosoftAppId and writes the zip', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teams-pkg-'));
    const out = path.join(dir, 'app.zip');
    const tool = path.join(MANIFEST_DIR, '../../tools/package-teams.ts');
    const run = spawnSync(process.execPath, ['--import', 'tsx', tool, '--out', out, '--version', '1.2.3'], {
      env: { ...process.env, MicrosoftAppId: BOT_ID },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const manifest = JSON.parse(unzip(fs.readFileSync(out)).get('manifest.json')!.toString('utf8'));
    expect(manifest).toMatchObject({ id: BOT_ID, version: '1.2.3' });
    const missing = spawnSync(process.execPath, ['--import', 'tsx', tool, '--out', out], {
      env: { ...process.env, MicrosoftAppId: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--bot-id');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
