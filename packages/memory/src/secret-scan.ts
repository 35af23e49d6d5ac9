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

/**
 * Find credential-looking strings (API keys, tokens, private keys, passwords in assignments or URLs).
 * Memories are shared across sessions and workers, so these are refused rather than stored.
 */
export function findSecrets(text: string): SecretFinding[] {
  const found: SecretFinding[] = [];
  for (const { kind, pattern } of PATTERNS) {
    const m = pattern.exec(text);
    if (m) found.push({ kind, index: m.index });
  }
  return found.sort((a, b) => a.index - b.index);
}
