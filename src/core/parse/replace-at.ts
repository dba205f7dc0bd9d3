/**
 * Constructs that need a callback (tags, entities, links) are found with indexOf on their first character and
 * matched there with a sticky regex, so a CI log pays one indexOf pass per construct, not a regex replace with a
 * callback (slow in V8).
 */

/**
 * Replace each match of a sticky pattern that starts at an occurrence of `trigger`. Linear: indexOf finds the
 * candidates, the sticky regex is tried once at each, and the output is assembled from slices.
 */
export function replaceAt(text: string, trigger: string, re: RegExp, replace: (m: RegExpExecArray) => string): string {
  let i = text.indexOf(trigger);
  if (i < 0) return text;
  let out = '';
  let last = 0;
  while (i >= 0) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (m === null) {
      i = text.indexOf(trigger, i + 1);
      continue;
    }
    out += text.slice(last, i) + replace(m);
    last = i + m[0].length;
    i = text.indexOf(trigger, Math.max(last, i + 1));
  }
  return out + text.slice(last);
}
