/**
 * Work caps for the parser. Every loop in src/core/parse is bounded by one of these, so the cost of
 * `parseFindings` is linear in the input with a small constant whatever the text holds (any input, no throw,
 * bounded time). The figures are far above what a chat paste or a CI log excerpt needs.
 */

/** Characters read from one input; the rest is ignored. 32 Mi chars is a whole CI log, 1000× a Teams message. */
export const MAX_INPUT_CHARS = 32 * 1024 * 1024;

/** Longer lines (minified JSON, a log with no newlines) are cut into pieces of this size at a nearby separator. */
export const MAX_LINE_CHARS = 8192;

/** Hits of one anchor phrase that are looked at; 100k repetitions of `client with IP '` cost the same as 200. */
export const MAX_HITS_PER_ANCHOR = 200;

/** Error sites (a recogniser on a line) examined per input, across all its regions. */
export const MAX_SITES = 400;

/** Candidates (URLs, image references, host mentions) collected from one line. */
export const MAX_CANDIDATES_PER_LINE = 24;

/** Probes of one kind (`://`, `.azurecr`, keywords) per line. */
export const MAX_PROBES_PER_LINE = 48;

/** Lines either side of an error that may name its registry (fw-27: the image is on the next line). */
export const NEAR_LINES = 2;

/** How far back (lines) a registry named earlier in the paste still counts (fw-07: the URL is 8 lines above; fw-23: `az acr build --image` 12 lines above). */
export const CONTEXT_LINES_BEFORE = 40;
export const CONTEXT_LINES_AFTER = 10;

/** Findings returned after de-duplication. */
export const MAX_FINDINGS = 20;

/** Length of the excerpt kept with each finding. */
export const MAX_EXCERPT_CHARS = 320;

/** Tokens longer than this are not hosts, image references or IPs. */
export const MAX_TOKEN_CHARS = 512;

/** Lines in a paste small enough for the hard-wrap (fixed column) detector. */
export const MAX_LINES_FOR_WRAP_DETECTION = 2000;

/**
 * Inputs up to this size are parsed whole. Larger ones (CI logs given to the CLI) are first scanned once for
 * anchor phrases, and only the regions around the hits are normalised and parsed: most of a log is noise.
 * A chat message is far below it (Teams ~28 KB, Slack 40k characters).
 */
export const WHOLE_TEXT_CHARS = 256 * 1024;
/** A region reaches back this many characters (and at most CONTEXT_LINES_BEFORE lines) before a hit … */
export const REGION_BEFORE_CHARS = 32 * 1024;
/** … and this far after it (at most CONTEXT_LINES_AFTER + NEAR_LINES lines). */
export const REGION_AFTER_CHARS = 16 * 1024;
/** Regions parsed per input, and the size a run of merged regions may grow to. */
export const MAX_REGIONS = 128;
export const MAX_REGION_CHARS = 256 * 1024;
