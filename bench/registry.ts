import type { BenchSection } from './types.js';

export const SECTIONS: Record<string, () => Promise<BenchSection>> = {};

/** Sections register here (one file per area: parse, arm, teams, slack). */
export function register(name: string, load: () => Promise<BenchSection>): void {
  SECTIONS[name] = load;
}
