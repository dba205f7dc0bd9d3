/**
 * A dotted quad as a number: four decimal parts of 0..255 without leading zeros (what ipaddr.js's
 * isValidFourPartDecimal accepts, and then the text is already canonical), else null. Scanned by hand for core/ip:
 * every paste and every rule of the registry it names goes through here, and ipaddr.js's regexes were over half of
 * a diagnosis's CPU.
 */
export function dottedQuad(t: string): number | null {
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= t.length; i++) {
    const c = i < t.length ? t.charCodeAt(i) : 46; // a '.' after the last part closes it
    if (c === 46) {
      if (digits === 0 || part > 255 || parts === 4) return null;
      value = value * 256 + part;
      parts += 1;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return null; // a leading zero
      if (digits === 3) return null;
      part = part * 10 + (c - 48);
      digits += 1;
    } else return null;
  }
  return parts === 4 ? value : null;
}
