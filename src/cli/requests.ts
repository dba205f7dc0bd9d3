import { EXIT, type CliIO } from './io.js';

// Placeholder until the requests command lands; it says so rather than pretending to work.
export async function run(_args: string[], io: CliIO): Promise<number> {
  io.stderr('acr-access requests: not implemented yet\n');
  return EXIT.failure;
}
