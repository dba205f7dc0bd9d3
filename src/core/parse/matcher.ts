/**
 * Multi-phrase search in one pass: an Aho–Corasick automaton over ASCII, folded to lower case as it reads
 * (`A`–`Z` → `a`–`z`, line feed → space, so an anchor phrase that a wrap split over two lines still matches).
 * The recognisers have some eighty anchor phrases; eighty indexOf passes over a CI log cost more than the rest
 * of the parser, this costs one table lookup per character. Characters that occur in no phrase share one
 * class, which keeps the transition table small enough to stay in cache.
 */

const ASCII = 128;

export interface Hit {
  /** Offset of the first character of the phrase. */
  pos: number;
  /** Index of the phrase in the list given to the constructor. */
  phrase: number;
}

function fold(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c === 10 ? 32 : c;
}

export class PhraseMatcher {
  /** Folded ASCII character → symbol class (0: a character no phrase uses; non-ASCII is 0 too). */
  private readonly classOf = new Uint8Array(ASCII);
  private readonly shift: number;
  private readonly delta: Uint16Array | Int32Array;
  /** 1 where a state ends at least one phrase: the hot loop tests this byte, not the outputs array. */
  private readonly accepting: Uint8Array;
  private readonly outputs: (number[] | null)[];
  private readonly lengths: number[];

  constructor(readonly phrases: readonly string[]) {
    let classes = 1;
    for (const phrase of phrases) {
      for (let i = 0; i < phrase.length; i++) {
        const c = phrase.charCodeAt(i);
        if (c >= ASCII || fold(c) !== c)
          throw new Error(`anchor phrases are lower-case ASCII without line feeds: ${phrase}`);
        if (this.classOf[c] === 0) this.classOf[c] = classes++;
      }
    }
    // The folded upper-case letters and the line feed read as their lower-case letter and the space.
    for (let c = 0; c < ASCII; c++) this.classOf[c] = this.classOf[fold(c)] as number;
    this.shift = Math.max(1, Math.ceil(Math.log2(classes)));
    const width = 1 << this.shift;
    const maxStates = 1 + phrases.reduce((n, p) => n + p.length, 0);
    const goto = new Int32Array(maxStates * width).fill(-1);
    const outputs: (number[] | null)[] = [null];
    let states = 1;
    phrases.forEach((phrase, index) => {
      let s = 0;
      for (let i = 0; i < phrase.length; i++) {
        const at = s * width + (this.classOf[phrase.charCodeAt(i)] as number);
        if ((goto[at] as number) < 0) {
          goto[at] = states++;
          outputs.push(null);
        }
        s = goto[at] as number;
      }
      const out = outputs[s] ?? [];
      out.push(index);
      outputs[s] = out;
    });
    // Breadth-first: complete the goto function into a DFA and merge outputs along failure links. Class 0 (a
    // character in no phrase) always returns to the root.
    const fail = new Int32Array(states);
    const queue: number[] = [];
    for (let k = 0; k < width; k++) {
      const t = goto[k] as number;
      if (t <= 0 || k === 0) goto[k] = 0;
      else queue.push(t);
    }
    for (let head = 0; head < queue.length; head++) {
      const s = queue[head] as number;
      const f = fail[s] as number;
      const inherited = outputs[f];
      if (inherited) outputs[s] = [...(outputs[s] ?? []), ...inherited];
      for (let k = 0; k < width; k++) {
        const at = s * width + k;
        const t = goto[at] as number;
        if (k === 0) goto[at] = 0;
        else if (t < 0) goto[at] = goto[f * width + k] as number;
        else {
          fail[t] = goto[f * width + k] as number;
          queue.push(t);
        }
      }
    }
    this.delta =
      states * width < 0xffff && states < 0xffff
        ? Uint16Array.from(goto.subarray(0, states * width))
        : goto.slice(0, states * width);
    this.outputs = outputs;
    this.accepting = new Uint8Array(states);
    for (let st = 0; st < states; st++) this.accepting[st] = outputs[st] ? 1 : 0;
    this.lengths = phrases.map((p) => p.length);
  }

  /** Every occurrence, at most `perPhrase` of each phrase, in order of their end. */
  findAll(text: string, perPhrase: number): Hit[] {
    const { delta, accepting, outputs, lengths, classOf, shift } = this;
    let counts: Int32Array | null = null;
    const hits: Hit[] = [];
    let s = 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      s = delta[(s << shift) | (c < ASCII ? (classOf[c] as number) : 0)] as number;
      if (accepting[s] === 0) continue;
      counts ??= new Int32Array(lengths.length);
      for (const p of outputs[s] as number[]) {
        if ((counts[p] as number) >= perPhrase) continue;
        counts[p] = (counts[p] as number) + 1;
        hits.push({ pos: i - (lengths[p] as number) + 1, phrase: p });
      }
    }
    return hits;
  }
}
