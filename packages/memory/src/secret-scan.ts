/** One credential-looking match found by {@link findSecrets}. The secret itself is never included. */
export interface SecretFinding {
  /** What it looks like, for example `GitHub token`. */
  kind: string;
  /** Offset of the match in the scanned text (UTF-16 code units). */
  index: number;
}

interface SecretPattern {
  kind: string;
  pattern: RegExp;
}

/**
 * Credential shapes that memories refuse. Each is specific enough that ordinary prose,
 * code identifiers and hashes do not match (see secret-scan.test.ts for both sides).
 */
const PATTERNS: readonly SecretPattern[] = [
  { kind: "private key", pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { kind: "OpenAI/Anthropic-style API key (sk-…)", pattern: /\bsk-(?:[A-Za-z0-9]+-)*[A-Za-z0-9_-]{20,}/ },
  { kind: "GitHub token", pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/ },
  { kind: "GitLab token", pattern: /\bglpat-[A-Za-z0-9_-]{20,}/ },
  { kind: "AWS access key id", pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/ },
  {
    kind: "AWS secret access key",
    pattern: /aws_?secret_?(?:access_?)?key\s*["']?\s*[:=]\s*["']?[A-Za-z0-9/+=]{40}/i,
  },
  { kind: "JSON Web Token", pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { kind: "Slack token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { kind: "Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: "Stripe key", pattern: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}/ },
  { kind: "npm token", pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { kind: "Hugging Face token", pattern: /\bhf_[A-Za-z0-9]{30,}\b/ },
  { kind: "bearer token", pattern: /\bBearer\s+[A-Za-z0-9._~+/-]{20,}=*/ },
  { kind: "URL with a password", pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]{3,}@/i },
  {
    kind: "secret assignment (key/token/password = …)",
    pattern:
      /\b(?:api[_-]?key|secret(?:[_-]?key)?|access[_-]?token|auth[_-]?token|client[_-]?secret|password|passwd)\b["']?\s*[:=]\s*["']?[A-Za-z0-9_\-/+=.!@#$%^&*]{12,}/i,
  },
];

/** The kind {@link findSecrets} reports for a key-like value that no known format matched. */
export const HIGH_ENTROPY_KIND = "high-entropy key-like value";

/** Runs of the characters API keys are written in (base64, base64url, base62), 20 or more long. */
const CANDIDATE = /[A-Za-z0-9+/=_-]{20,}/g;

/**
 * High-entropy identifiers that are not credentials: OpenCode's session, message and part ids,
 * model tool-call ids, and subresource-integrity hashes (`sha512-…` in lockfiles). They are blanked
 * out before the entropy check (a memory key such as `turn/ses_…/msg_…` holds two of them).
 */
const NOT_SECRET =
  /(?<![A-Za-z0-9])(?:(?:ses|msg|prt|per|call|toolu|chatcmpl)_[A-Za-z0-9]+|sha(?:1|256|384|512)-[A-Za-z0-9+/=]+)/gi;

/** Case-and-digit segments: `getUser2Id` → `get`, `User`, `2`, `Id`. */
const SEGMENT = /[A-Z][a-z]+|[a-z]+|[A-Z]+(?![a-z])|[0-9]+/g;

/** Shannon entropy of `text`, in bits per character. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * True when `token` looks like a randomly generated key: at least 20 letters and digits that mix
 * lower case, upper case and digits, change case or class every few characters (short segments,
 * unlike camelCase words), and carry near the entropy a random string of that length has.
 *
 * Left alone on purpose: hex strings (commit ids, sha256 digests, UUIDs: no upper case), words
 * joined by `-` or `_`, and camelCase identifiers. ({@link findSecrets} also skips OpenCode ids and
 * integrity hashes.)
 * About 1–4 % of random 20–40 character keys are missed (those without a digit, or that happen to
 * form long segments); a hostile writer can always encode a secret, so this guards against
 * accidents, and the memory trust rules are what stop a hostile worker.
 */
export function isKeyLike(token: string): boolean {
  const alnum = token.replace(/[^A-Za-z0-9]/g, "");
  if (alnum.length < 20 || !/[a-z]/.test(alnum) || !/[A-Z]/.test(alnum) || !/[0-9]/.test(alnum)) return false;
  const segments = alnum.match(SEGMENT)?.length ?? 1;
  if (alnum.length / segments > 3) return false;
  return shannonEntropy(token) >= 0.78 * Math.log2(Math.min(token.length, 64));
}

/**
 * Find credential-looking strings: known formats (API keys, tokens, private keys, passwords in
 * assignments or URLs) and, beyond those, any key-like high-entropy value ({@link isKeyLike}).
 * Memories are shared across sessions and workers, so these are refused rather than stored.
 */
export function findSecrets(text: string): SecretFinding[] {
  const found: SecretFinding[] = [];
  for (const { kind, pattern } of PATTERNS) {
    const m = pattern.exec(text);
    if (m) found.push({ kind, index: m.index });
  }
  if (found.length === 0) {
    const blanked = text.replace(NOT_SECRET, (id) => " ".repeat(id.length));
    for (const m of blanked.matchAll(CANDIDATE)) {
      if (isKeyLike(m[0])) {
        found.push({ kind: HIGH_ENTROPY_KIND, index: m.index });
        break;
      }
    }
  }
  return found.sort((a, b) => a.index - b.index);
}
