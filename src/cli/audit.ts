import { EXIT, type CliIO } from './io.js';

// Placeholder until the audit command lands; it says so rather than pretending to work.
export async function run(_args: string[], io: CliIO): Promise<number> {
  io.stderr('acr-access audit: not implemented yet\n');
  return EXIT.failure;
}
