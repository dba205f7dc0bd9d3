/**
 * Every regular expression the parser uses, in one place so that one test can prove none of them backtracks
 * super-linearly (test/unit/parse/patterns.test.ts: each pattern, with every quantifier above {0,1} relaxed to
 * unbounded, is analysed by `scslre` both as written and as moved along the input).
 *
 * Rules kept here: every quantifier is bounded; alternatives and adjacent quantifiers never compete for the same
 * characters; a pattern used with a moving search starts with a literal character, so a failed attempt costs at
 * most its own bounded window. Long text is scanned with indexOf (see candidates.ts, recognise.ts); regexes run on
 * bounded slices or at positions indexOf found. Each comment names the wire format the pattern matches.
 */

// ---- Transport and markup wrappers (markup.ts) -------------------------------------------------------------

/** CR and CRLF line ends (Windows terminals, Teams `<pre>` blocks) become LF. */
export const CARRIAGE_RETURN = /\r\n?/g;

/** Teams sends HTML (`<p>`, `<div>`, `<br>`, `<pre><code>`, `<span>`, `<at>` mentions); Markdown tables carry `<br/>`. */
export const HTML_HINT =
  /<\/?(?:p|div|br|pre|code|span|at|codeblock|blockquote|strong|em|ul|ol|li|table|tr|td|th|h[1-6])(?=[\s/>])[^<>]{0,1024}>/i;

/** Teams mention `<at id="0">Bot</at>`: the bot's own name is not part of the paste. */
export const TEAMS_AT_MENTION = /<at(?=[\s>])[^<>]{0,512}>[^<]{0,512}<\/at>/gi;

/** Teams mention as `<span itemtype="http://schema.skype.com/Mention" …>Name</span>`, run at each `<span` (the caller checks itemtype). */
export const HTML_SPAN_AT = /<span(?=[\s>])([^<>]{0,1024})>([^<]{0,512})<\/span>/iy;

/** `&lt;` `&#39;` `&#x27;` `&nbsp;`, run at each `&`; double-encoded `&amp;#39;` (ot-03) needs a second pass. */
export const HTML_ENTITY_AT = /&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,8}));/y;

/** Slack `<https://x|label>` and `<https://x>`, Markdown autolinks `<https://aka.ms/acr/firewall>` (fw-13, fw-22); run at each `<`. */
export const ANGLE_LINK_AT = /<((?:https?|mailto|oci|docker):[^<>|\s]{1,2048})(?:\|([^<>\n]{0,1024}))?>/iy;

/** Slack user/channel/broadcast mentions: `<@U123>`, `<#C1|name>`, `<!here>`, `<!subteam^S1|@team>`. */
export const SLACK_SPECIAL = /<[@#!][^<>\s|]{1,128}(?:\|[^<>\n]{0,256})?>/g;

/** GitHub auto-link mangling `[https://host/v2/\"](https://***.azurecr.io/v2/%22)` (fw-06, ua-22): keep the text. */
export const MARKDOWN_LINK = /\[([^[\]\n]{1,2048})\]\((?:https?:\/\/|<https?:)[^()\s]{0,2048}\)/g;

// ---- Escapes (markup.ts) ------------------------------------------------------------------------------------

// JSON (`\u0027`, `\"`, literal `\r\n`) and Markdown-source (`https\://`, `\<`) escapes are undone by a
// hand-written scanner in markup.ts: one pass over the backslashes, no regex.

// ---- Terminal residue and typography (markup.ts) -----------------------------------------------------------

/** ANSI CSI sequences (`ESC[31m`, `ESC[2K`). */
// eslint-disable-next-line no-control-regex
export const ANSI_CSI = /\x1b\[[0-9;?]{0,32}[ -/]{0,4}[@-~]/g;
/** ANSI OSC sequences (`ESC]8;;url BEL` hyperlinks, window titles). */
// eslint-disable-next-line no-control-regex
export const ANSI_OSC = /\x1b\][^\x07\x1b]{0,1024}(?:\x07|\x1b\\)?/g;
/** Any other escape, or a lone ESC. */
// eslint-disable-next-line no-control-regex
export const ANSI_OTHER = /\x1b[@-Z\\-_]?/g;
/** Colour codes whose ESC was lost in the copy: `[31m`, `^[[0m`. */
export const ANSI_RESIDUE = /(?:\^\[)?\[(?:[0-9]{1,3};){0,7}[0-9]{1,3}m/g;

/** Autocorrect quotes (pa-03: `‘<my acr name>.azurecr.io'`), primes and full-width quotes. */
export const TYPOGRAPHIC_SINGLE_QUOTE = /[\u2018\u2019\u201a\u201b\u2032\uff07]/g;
export const TYPOGRAPHIC_DOUBLE_QUOTE = /[\u201c\u201d\u201e\u201f\u2033\uff02]/g;
/** No-break and typographic spaces (`&nbsp;` decodes to U+00A0). */
export const UNICODE_SPACE = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g;
/** Zero-width characters and soft hyphens that chat clients insert. */
export const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
/** Unicode line and paragraph separators. */
export const UNICODE_LINE_BREAK = /[\u2028\u2029\u0085]/g;
/** Any non-ASCII character: when there is none, the typography passes are skipped. */
// eslint-disable-next-line no-control-regex
export const NON_ASCII = /[^\x00-\x7f]/;
/** U+0130 lower-cases to two code units, which would misalign a lower-cased slice with the text it came from. */
export const DOTTED_CAPITAL_I = /\u0130/g;

/** Markdown code spans and fences (ad-03, ot-15, dns-01) and bold markers (ua-12, ot-17); `***` masks stay. */
export const BACKTICKS = /`/g;
export const BOLD_MARKER = /(?<!\*)\*\*(?!\*)/g;

/** Tabs and runs of spaces collapse to one space, so anchor phrases match whatever the alignment. */
export const HORIZONTAL_SPACE_RUN = /[\t\f\v]|(?<! ) {2,64}/g;

// ---- Line prefixes (lines.ts) -------------------------------------------------------------------------------

/**
 * Timestamps that start log lines: ISO 8601 (`2026-06-05T23:44:18.849Z`, Azure DevOps/GitHub Actions), ACR Tasks
 * `2023/12/11 06:06:48`, App Service `2018-08-27 19:58:27.129`, Jenkins `15:38:12`.
 */
export const TIMESTAMP_PREFIX =
  /^(?:[0-9]{4}[-/][0-9]{2}[-/][0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.,][0-9]{1,9})?(?:Z|[+-][0-9]{2}:?[0-9]{2})?|[0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.,][0-9]{1,9})?)(?: |$)/;

/** Azure DevOps `##[error]`, `##[section]`; GitHub Actions `::error::`, `::error file=x,line=1::`. */
export const CI_PREFIX = /^(?:##\[[a-z]{1,16}\]|::[a-z]{1,16}(?: [^:\n]{0,256})?::|\[command\])/i;

// ---- Tokens (reference.ts, host.ts) -------------------------------------------------------------------------

/** A tag per the distribution spec: `[\w][\w.-]{0,127}` (fw-02's 40-hex tags are tags). */
export const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** A content digest: `sha256:` + 64 hex (also sha384/sha512). */
export const DIGEST = /^sha(?:256:[0-9a-f]{64}|384:[0-9a-f]{96}|512:[0-9a-f]{128})$/;

/** One repository path component per the distribution spec: lowercase alphanumerics joined by `.`, `_`, `__`, `-`. */
export const REPOSITORY_COMPONENT = /^[a-z0-9](?:[._-]{0,4}[a-z0-9]){0,255}$/;

/** An ACR registry name: 5–50 alphanumerics (ARM `^[a-zA-Z0-9]*$`, lower-cased in the login server). */
export const REGISTRY_NAME = /^[a-z0-9]{5,50}$/;

/** A DNL login-server label `<name>-<hash>` (Domain Name Label scope; the dash is the hash delimiter). */
export const DNL_LABEL = /^([a-z0-9]{5,50})-([a-z0-9]{6,32})$/;

/**
 * Names people type instead of their registry: `myregistry`, `myacr`, `yourregistryname`, `acrname`, `registry`,
 * `contosoregistry` (test/fixtures/errors/FORMATS.md §D). Real names like `myacrprod` do not match: the whole name must
 * be the placeholder.
 */
export const PLACEHOLDER_REGISTRY =
  /^(?:(?:my|your|the|some|sample|example|contoso|fabrikam)?(?:container)?(?:registry|registries|reg|acr|repo|cr|acrregistry)(?:name)?[0-9]{0,2}|contoso[a-z0-9]{0,40}|fabrikam[a-z0-9]{0,40}|foo|bar|baz|foobar|abc|xyz|name|example|sample)$/;

/** A value made of one repeated placeholder letter, or x's and dots: `xxxxx`, `yyyyyyyyyy`, `xx.xx.xx.xx`. */
export const REPEATED_PLACEHOLDER = /^(?:x{2,64}|y{2,64}|z{2,64}|a{3,64}|[x.]{3,64}|[X.]{3,64})$/;

// ---- Recogniser checks (recognise.ts): run sticky at an anchor, or on a bounded slice ----------------------

/** What follows "client with IP": Azure SQL says "Client with IP address 'x' is not allowed to access the server". */
export const SQL_LOOKALIKE_TAIL = /^ ?address\b/i;

/** The denial tail: "is not allowed access" (canonical), "is not allowed access, refer …" (Container Apps, fw-26). */
export const NOT_ALLOWED_ACCESS = /^[^\n]{0,96}?\bis not allowed access/i;

/** Go map dump of an ACR error detail: `map[Action:pull Class: Name:team/app Type:repository]` (ua-10). */
export const GO_MAP_REPOSITORY_NAME = /\bName:([^\s\]]{1,256}) Type:repository\b/;

/** JSON error detail: `{"Type":"repository","Class":"","Name":"mcr.microsoft.com/windows/servercore","Action":"pull"}` (ua-11). */
export const JSON_DETAIL_NAME = /"Name": ?"([^"\s]{1,256})"/i;

/** "Access to x.azurecr.io denied." (ACR import and Tasks, ARM LRO message), read at the anchor. */
export const ACCESS_TO_HOST_DENIED = /^access to (?:registry )?'?[a-z0-9][a-z0-9.-]{0,252}'? (?:was )?denied\b/;

/** urllib3's pool wrapper: `HTTPSConnectionPool(host='x.azurecr.io', port=443)`, read on a bounded slice. */
export const CONNECTION_POOL_HOST = /httpsconnectionpool\(host='([a-z0-9.*<>{}_-]{1,253})'/;

/** `##vso[` aside, Azure Pipelines' agent variables (`Agent.Name`, `Agent.JobStatus`) in a log. */
export const AGENT_VARIABLE =
  /\bAgent\.(?:Name|Id|OS|JobName|JobStatus|MachineName|Version|HomeDirectory|BuildDirectory|TempDirectory|ToolsDirectory)\b/;

/** A GitHub Actions step header, `Run docker/login-action@v3`, at the start of a line (after a timestamp). */
export const RUN_ACTION =
  /(?:^|\n)(?:[0-9TZ:.-]{0,40} )?Run [a-zA-Z0-9_.-]{1,64}\/[a-zA-Z0-9_./-]{1,128}@[a-zA-Z0-9_.-]{1,64}/;

/** An image's first component that is only mask characters (three asterisks before the repository): a CI secret standing for the host. */
export const MASKED_HOST = /^[*#]{3,16}$/;

/** `Response code: 401` / `403` right after "Access to registry '…' was denied": the CLI's token errors. */
export const RESPONSE_CODE_4XX = /response code: ?40/;
