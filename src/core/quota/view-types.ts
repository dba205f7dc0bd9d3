/** The shapes of the rule-quota hygiene view (view.ts builds them); no imports, so any core module may carry one. */

export interface HygieneOffer {
  /** "Free 5 slots". */
  label: string;
  /** Card action verb and the data it carries back (re-checked on click). */
  verb: string;
  data: { registryId: string; merges: boolean; slots: number };
  primary: boolean;
}

export interface HygieneView {
  title: string;
  /** One or two sentences: how full, what can go, and whether anyone loses access. */
  summary: string;
  sections: Array<{ title: string; lines: string[] }>;
  offers: HygieneOffer[];
  /** Why nothing can be offered here (no policy), or null. */
  note: string | null;
}

/** A bot-managed rule still on the registry though its grant has ended (there should be none). */
export interface StaleGrantRule {
  value: string;
  requestId: string;
  endedAt: string | null;
}

export interface MergeVerdict {
  into: string;
  /** Why policy refuses writing this prefix (`broadestPrefix`), or null. */
  refusal: string | null;
}
