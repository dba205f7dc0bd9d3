/**
 * Characters that change how text around them is shown without being seen themselves: C0 and C1 controls (NUL,
 * escape sequences, …) and the Unicode bidirectional formatting characters (U+202A–U+202E embeddings and overrides,
 * U+2066–U+2069 isolates, U+200E/U+200F marks, U+061C). A right-to-left override inside a name or a reason makes a
 * card say something other than what was typed ("Eve‮exe.txt" reads "Evetxt.exe"), so every text a card echoes
 * loses them. Newline and tab are kept: they are layout the renderers handle.
 * https://www.unicode.org/reports/tr9/ (explicit directional formatting characters)
 */
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const ANY_INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** `text` without controls and bidirectional formatting characters (newline and tab kept). */
export function stripInvisible(text: string): string {
  return ANY_INVISIBLE.test(text) ? text.replace(INVISIBLE, '') : text;
}

/** True when `text` holds a control or bidirectional formatting character (newline and tab aside). */
export function hasInvisible(text: string): boolean {
  return ANY_INVISIBLE.test(text);
}
