/** One mention of a registry or image on a line (candidates.ts, hints.ts), as target.ts weighs it. */
import type { HostInfo } from './host.js';

export type CandidateSource =
  | 'url'
  | 'image'
  | 'host'
  | 'arm'
  | 'az-image'
  | 'detail'
  | 'label'
  | 'split-image'
  | 'version';

export interface Candidate {
  /** Offset in the line. */
  pos: number;
  source: CandidateSource;
  /** Null for `detail`, `split-image` and `version`, which name an image or a tag but no registry. */
  host: HostInfo | null;
  repository: string | null;
  repoRaw: string | null;
  reference: string | null;
}
