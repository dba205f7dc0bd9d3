/**
 * `npm run package:teams [-- --bot-id GUID] [--app-id GUID] [--version X.Y.Z] [--out FILE]`: builds the Teams app
 * package, a zip with manifest.json, color.png (192×192) and outline.png (32×32, white on transparent) at its root
 * (learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package).
 *
 * The bot id comes from --bot-id or the MicrosoftAppId environment variable (the same value the bot runs with);
 * the Teams app id defaults to the bot id. Icons are manifest/teams/{color,outline}.png; `--write-icons` draws them
 * again. PNG and zip are written with node:zlib: no packaging dependency.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const MANIFEST_DIR = path.join(ROOT, 'manifest/teams');
export const DEFAULT_OUT = path.join(MANIFEST_DIR, 'build/acr-access-teams.zip');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PLACEHOLDER = '00000000-0000-0000-0000-000000000000';

// --- CRC-32 (IEEE), for PNG chunks and zip entries ---------------------------------------------------------------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
export function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// --- PNG (RGBA, 8 bit) ------------------------------------------------------------------------------------------
export type Rgba = [number, number, number, number];

export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), row + 1 + x * 4);
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * The glyph: a registry drawn as three stacked container boxes, in a unit square (u, v in 0..1). Coverage is
 * sampled 4×4 per pixel for smooth edges.
 */
function glyph(u: number, v: number): boolean {
  const boxes: Array<[number, number, number, number]> = [
    [0.2, 0.56, 0.6, 0.22],
    [0.28, 0.31, 0.44, 0.2],
    [0.36, 0.1, 0.28, 0.16],
  ];
  for (const [x, y, w, h] of boxes) {
    const inOuter = u >= x && u <= x + w && v >= y && v <= y + h;
    const t = 0.06;
    const inInner = u >= x + t && u <= x + w - t && v >= y + t && v <= y + h - t;
    if (inOuter && !inInner) return true;
    // A slot line across each box: the "container" ribs.
    if (inInner && Math.abs(v - (y + h / 2)) < 0.018) return true;
  }
  return false;
}

function coverage(x: number, y: number, size: number, inset: number): number {
  let hits = 0;
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      const u = ((x + (i + 0.5) / 4) / size - inset) / (1 - 2 * inset);
      const v = ((y + (j + 0.5) / 4) / size - inset) / (1 - 2 * inset);
      if (glyph(u, v)) hits++;
    }
  }
  return hits / 16;
}

/** 192×192 full colour: the white glyph on the accent blue. */
export function colorIcon(): Buffer {
  const size = 192;
  return encodePng(size, size, (x, y) => {
    const a = coverage(x, y, size, 0.12);
    const mix = (bg: number) => Math.round(bg + (255 - bg) * a);
    return [mix(0x00), mix(0x78), mix(0xd4), 255];
  });
}

/** 32×32 outline: white only, transparent elsewhere (alpha carries the shape). */
export function outlineIcon(): Buffer {
  const size = 32;
  return encodePng(size, size, (x, y) => [255, 255, 255, Math.round(255 * coverage(x, y, size, 0.02))]);
}

// --- zip (deflate, no folders) -----------------------------------------------------------------------------------
export function zip(files: Array<{ name: string; data: Buffer }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  // DOS date/time of 1980-01-01 00:00 keeps builds reproducible.
  const time = 0;
  const date = (0 << 9) | (1 << 5) | 1;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const deflated = zlib.deflateRawSync(f.data, { level: 9 });
    const crc = crc32(f.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(deflated.length, 20);
    central.writeUInt32LE(f.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, deflated);
    centrals.push(central, name);
    offset += local.length + name.length + deflated.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

// --- the package -------------------------------------------------------------------------------------------------
export interface PackageOptions {
  botId: string;
  appId?: string;
  version?: string;
}

/** manifest.json with the ids filled in (and the version, when given). */
export function buildManifest(template: Record<string, unknown>, o: PackageOptions): Record<string, unknown> {
  const appId = o.appId ?? o.botId;
  for (const [name, v] of [
    ['bot id', o.botId],
    ['app id', appId],
  ] as const) {
    if (!GUID.test(v) || v === PLACEHOLDER)
      throw new Error(`${name} "${v}" is not an Entra application id (a GUID): pass --bot-id or set MicrosoftAppId.`);
  }
  if (o.version !== undefined && !/^\d+\.\d+\.\d+$/.test(o.version))
    throw new Error(`--version "${o.version}" must be X.Y.Z.`);
  const m = JSON.parse(JSON.stringify(template)) as {
    id: string;
    version: string;
    bots: Array<{ botId: string }>;
    webApplicationInfo: { id: string };
  };
  m.id = appId;
  for (const b of m.bots) b.botId = o.botId;
  m.webApplicationInfo.id = o.botId;
  if (o.version) m.version = o.version;
  return m as unknown as Record<string, unknown>;
}

export function buildPackage(o: PackageOptions, dir = MANIFEST_DIR): Buffer {
  const template = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  const manifest = buildManifest(template, o);
  return zip([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
    { name: 'color.png', data: fs.readFileSync(path.join(dir, 'color.png')) },
    { name: 'outline.png', data: fs.readFileSync(path.join(dir, 'outline.png')) },
  ]);
}

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`${name}=`));
  return eq?.slice(name.length + 1);
}

function main(argv: string[], env: NodeJS.ProcessEnv): void {
  if (argv.includes('--write-icons')) {
    fs.writeFileSync(path.join(MANIFEST_DIR, 'color.png'), colorIcon());
    fs.writeFileSync(path.join(MANIFEST_DIR, 'outline.png'), outlineIcon());
    process.stdout.write(`wrote ${path.relative(ROOT, MANIFEST_DIR)}/color.png and outline.png\n`);
    return;
  }
  const botId = arg(argv, '--bot-id') ?? env.MicrosoftAppId?.trim();
  if (!botId) {
    process.stderr.write('No bot id: pass --bot-id <Entra application id> or set MicrosoftAppId.\n');
    process.exit(2);
  }
  const out = path.resolve(arg(argv, '--out') ?? DEFAULT_OUT);
  const appId = arg(argv, '--app-id');
  const version = arg(argv, '--version');
  let zipped: Buffer;
  try {
    zipped = buildPackage({ botId, ...(appId ? { appId } : {}), ...(version ? { version } : {}) });
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, zipped);
  process.stdout.write(`Teams app package: ${out} (upload it in Teams: Apps > Manage your apps > Upload an app)\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  main(process.argv.slice(2), process.env);
