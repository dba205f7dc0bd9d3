/** Risk flags as one Slack context line. */
import { clip, prose } from './escape.js';

/** Risk flags on one line: escaped, at most 10, each cut before escaping so huge input costs little. */
export function flagsText(flags: readonly string[], max: number): string {
  const shown = flags.slice(0, 10).map((f) => prose(f.slice(0, 400)));
  const more = flags.length > 10 ? ` · and ${flags.length - 10} more` : '';
  return clip(`:warning: ${shown.join(' · ')}${more}`, max);
}
