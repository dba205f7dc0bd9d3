/**
 * The emulator's certificate, made at start. The Azure SDK refuses bearer tokens over plain http (docs/azure.md,
 * "The SDK"), so the emulator speaks HTTPS and clients trust this one self-signed certificate through
 * AZURE_EMULATOR_CA.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';

export interface EmulatorTls {
  key: string;
  cert: string;
  /** PEM file holding `cert`; the certificate is its own CA. */
  caPath: string;
  /** Removes the temp directory holding caPath. */
  dispose(): void;
}

/** `commonName` tells two such certificates apart when a client trusts both (OpenSSL looks issuers up by name). */
export async function makeTls(commonName = 'ARM emulator (127.0.0.1)'): Promise<EmulatorTls> {
  const now = new Date();
  const notAfter = new Date(now.getTime() + 7 * 24 * 3600 * 1000);
  // EC P-256: generation takes milliseconds where RSA-2048 can take a second on a busy 2-core machine.
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: notAfter,
    extensions: [
      // A self-signed certificate that is also its own trust anchor: `cA` lets OpenSSL accept it as the root.
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arm-emulator-'));
  const caPath = path.join(dir, 'ca.pem');
  fs.writeFileSync(caPath, pems.cert, { mode: 0o644 });
  return {
    key: pems.private,
    cert: pems.cert,
    caPath,
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
