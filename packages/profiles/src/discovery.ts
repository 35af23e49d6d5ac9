/** The fields discovery reads; both profile definitions and effective profiles have them. */
export interface DiscoverableProfile {
  /** Profile id. */
  readonly id: string;
  /** Human-readable name. */
  readonly name?: string;
  /** One-sentence purpose. */
  readonly purpose?: string;
  /** When to use it. */
  readonly whenToUse?: string;
  /** Discovery keywords; multi-word tags match as phrases. */
  readonly tags?: readonly string[];
}

/** One ranked suggestion. */
export interface ProfileMatch<P extends DiscoverableProfile = DiscoverableProfile> {
  /** The profile. */
  readonly profile: P;
  /** Confidence in [0, 1]: high only when strong evidence points at this profile and not at others. */
  readonly confidence: number;
  /** Why: the tags, name and description words that matched. */
  readonly reasons: readonly string[];
}

/** Options of {@link findProfile}. */
export interface FindProfileOptions {
  /** Most suggestions returned; defaults to 3. */
  limit?: number;
}

const STOPWORDS = new Set(
  (
    "a an the this that these those it its it's i me my we us our you your he she they them their to of in on at by for " +
    "with from into onto about as and or but if then so than is are was were be been being am do does did done doing " +
    "have has had can could would should will shall may might must please just also any all some each every other " +
    "there here when what who whom whose why which how where not no yes up out over under again very more most " +
    "let lets let's me get got make made thing things stuff something anything need needs want wants like help use using " +
    "one two new way ok okay hi hello hey thanks"
  ).split(" "),
);
// Question words are stop-words on their own but keep their meaning inside phrase tags ("where is", "how do i").
const PHRASE_ONLY = new Set(["where", "which", "how", "how many", "should", "what", "before", "see"]);

/** Light stemmer: folds plurals and -ing/-ed forms so "images", "imaging" and "image" meet. */
export function stem(word: string): string {
  let w = word;
  let suffix = false;
  if (w.length > 4 && w.endsWith("ies")) w = `${w.slice(0, -3)}y`;
  else if (w.length > 5 && w.endsWith("ing")) [w, suffix] = [w.slice(0, -3), true];
  else if (w.length > 4 && w.endsWith("ed")) [w, suffix] = [w.slice(0, -2), true];
  else if (w.length > 3 && /(sh|ch|x|ss)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 2 && w.endsWith("s") && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (suffix && w.length <= 3 && /[b-df-hj-np-tv-z]$/.test(w)) w = `${w}e`; // coding → code, noted → note
  if (w.length > 4 && w.endsWith("e")) w = w.slice(0, -1);
  if (w.length > 3 && /([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
  return w;
}

/** Lower-case words of a text, split on anything that is not a letter, digit, `+` or `#`. */
function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’']/g, "")
    .split(/[^a-z0-9+#]+/)
    .filter((w) => w !== "");
}

interface Term {
  /** Stemmed words of the term, matched as a consecutive phrase. */
  readonly stems: readonly string[];
  /** The term as written, for reasons. */
  readonly text: string;
  /** Where it came from. */
  readonly kind: "tag" | "name" | "description";
  readonly weight: number;
}

function termsOf(p: DiscoverableProfile): Term[] {
  const out = new Map<string, Term>();
  const add = (text: string, kind: Term["kind"], weight: number) => {
    const stems = words(text).map(stem);
    if (stems.length === 0) return;
    if (stems.length === 1 && (STOPWORDS.has(words(text)[0] ?? "") || PHRASE_ONLY.has(text.toLowerCase())))
      return;
    const key = stems.join(" ");
    const prev = out.get(key);
    if (!prev || prev.weight < weight) out.set(key, { stems, text, kind, weight });
  };
  for (const tag of p.tags ?? []) add(tag, "tag", tag.trim().includes(" ") ? 3 : 2);
  add(p.id.replace(/-/g, " "), "name", 2);
  for (const w of words(p.id)) add(w, "name", 2);
  if (p.name) for (const w of words(p.name)) add(w, "name", 1.5);
  // Negative clauses ("Not for editing code.") say what the profile is *not* for: skip them.
  const description = `${p.purpose ?? ""} ${p.whenToUse ?? ""}`.replace(
    /\b(not for|never|do not use)\b[^.;]*[.;]?/gi,
    " ",
  );
  for (const w of words(description)) if (w.length > 2) add(w, "description", 0.5);
  return [...out.values()];
}

function containsPhrase(tokens: readonly string[], phrase: readonly string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= tokens.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (tokens[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

/** How quickly evidence turns into confidence: a score of `SCALE` gives about 0.63 before the margin. */
const SCALE = 3;

/**
 * Rank profiles for a task description by keyword and tag matching (no ML, no network).
 *
 * Each profile's terms are its tags (multi-word tags match as phrases), its id and name, and the words
 * of its purpose and whenToUse. A term scores its weight (tag phrase 3, tag 2, name 2, description
 * word 0.5), scaled down when several profiles share it. Confidence is `(1 - e^(-score/3))` times
 * `score / (score + best other score)`, so it is high only for strong evidence that points at one
 * profile. Ties keep the order of `profiles`. A description that matches nothing gets confidence 0.
 */
export function findProfile<P extends DiscoverableProfile>(
  description: string,
  profiles: readonly P[],
  options: FindProfileOptions = {},
): ProfileMatch<P>[] {
  const limit = Math.max(0, options.limit ?? 3);
  const tokens = words(description).map(stem);
  const termLists = profiles.map(termsOf);
  const df = new Map<string, number>();
  for (const terms of termLists)
    for (const key of new Set(terms.map((t) => t.stems.join(" ")))) df.set(key, (df.get(key) ?? 0) + 1);
  const n = Math.max(1, profiles.length);
  const idf = (key: string) => {
    const d = df.get(key) ?? 1;
    return n === 1 ? 1 : Math.log(1 + n / d) / Math.log(1 + n);
  };

  const scored = profiles.map((profile, index) => {
    const matched = (termLists[index] ?? []).filter((t) => containsPhrase(tokens, t.stems));
    // A matched phrase absorbs the single-word terms inside it, so "code review" is not also "code" + "review".
    const phrases = matched.filter((t) => t.stems.length > 1);
    const kept = matched.filter(
      (t) => t.stems.length > 1 || !phrases.some((ph) => ph.stems.includes(t.stems[0] as string)),
    );
    const seen = new Set<string>();
    let score = 0;
    const reasons: string[] = [];
    for (const t of kept.sort((a, b) => b.weight - a.weight)) {
      const key = t.stems.join(" ");
      if (seen.has(key)) continue;
      seen.add(key);
      score += t.weight * idf(key);
      reasons.push(
        t.kind === "tag"
          ? `tag "${t.text}"`
          : t.kind === "name"
            ? `name "${t.text}"`
            : `description word "${t.text}"`,
      );
    }
    return { profile, index, score, reasons };
  });

  return scored
    .map((s) => {
      const other = Math.max(0, ...scored.filter((o) => o !== s).map((o) => o.score));
      const confidence = s.score === 0 ? 0 : (1 - Math.exp(-s.score / SCALE)) * (s.score / (s.score + other));
      return { ...s, confidence: Math.round(confidence * 1000) / 1000 };
    })
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, limit)
    .map(({ profile, confidence, reasons }) => ({
      profile,
      confidence,
      reasons: reasons.length ? reasons : ["no keyword or tag matched"],
    }));
}
