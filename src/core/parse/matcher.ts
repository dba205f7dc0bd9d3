/**
 * Multi-phrase search in one pass: an Aho–Corasick automaton over ASCII, folded to lower case as it reads
 * (`A`–`Z` → `a`–`z`, line feed → space, so an anchor phrase that a wrap split over two lines still matches).
 * The recognisers have some eighty anchor phrases; eighty indexOf passes over a CI log cost more than the rest
 * of the parser, this costs one table lookup per character.
 */

const ALPHABET = 128;

export interface Hit {
  /** Offset of the first character of the phrase. */
  pos: number;
  /** Index of the phrase in the list given to the constructor. */
  phrase: number;
}

export class PhraseMatcher {
  private readonly delta: Int32Array;
  private readonly outputs: (number[] | null)[];
  private readonly lengths: number[];

  constructor(readonly phrases: readonly string[]) {
    const maxStates = 1 + phrases.reduce((n, p) => n + p.length, 0);
    const delta = new Int32Array(maxStates * ALPHABET).fill(-1);
    const outputs: (number[] | null)[] = [null];
    let states = 1;
    phrases.forEach((phrase, index) => {
      let s = 0;
      for (let i = 0; i < phrase.length; i++) {
        const c = phrase.charCodeAt(i);
        if (c >= ALPHABET || (c >= 65 && c <= 90) || c === 10) throw new Error(`anchor phrases are lower-case ASCII: ${phrase}`);
        const at = s * ALPHABET + c;
        if ((delta[at] as number) < 0) {
          delta[at] = states;
          outputs.push(null);
          states++;
        }
        s = delta[at] as number;
      }
      (outputs[s] ??= []).push(index);
    });
    // Breadth-first: complete the goto function into a DFA and merge outputs along failure links.
    const fail = new Int32Array(states);
    const queue: number[] = [];
    for (let c = 0; c < ALPHABET; c++) {
      const t = delta[c] as number;
      if (t < 0) delta[c] = 0;
      else {
        fail[t] = 0;
        queue.push(t);
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const s = queue[head] as number;
      const f = fail[s] as number;
      const inherited = outputs[f];
      if (inherited) outputs[s] = [...(outputs[s] ?? []), ...inherited];
      for (let c = 0; c < ALPHABET; c++) {
        const at = s * ALPHABET + c;
        const t = delta[at] as number;
        if (t < 0) delta[at] = delta[f * ALPHABET + c] as number;
        else {
          fail[t] = delta[f * ALPHABET + c] as number;
          queue.push(t);
        }
      }
    }
    this.delta = delta.slice(0, states * ALPHABET);
    this.outputs = outputs;
    this.lengths = phrases.map((p) => p.length);
  }

  /** Every occurrence, at most `perPhrase` of each phrase, in order of their end. */
  findAll(text: string, perPhrase: number): Hit[] {
    const { delta, outputs, lengths } = this;
    const counts = new Int32Array(lengths.length);
    const hits: Hit[] = [];
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (c >= 65 && c <= 90) c += 32;
      else if (c === 10) c = 32;
      else if (c >= ALPHABET) c = 0;
      s = delta[s * ALPHABET + c] as number;
      const out = outputs[s];
      if (out) {
        for (const p of out) {
          if ((counts[p] as number) >= perPhrase) continue;
          counts[p] = (counts[p] as number) + 1;
          hits.push({ pos: i - (lengths[p] as number) + 1, phrase: p });
        }
      }
    }
    return hits;
  }
}
