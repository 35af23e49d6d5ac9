import { describe, expect, it } from "vitest";
import { findSecrets } from "./secret-scan.js";

describe("findSecrets", () => {
  const positives: Record<string, string> = {
    "private key": "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA",
    "OpenAI/Anthropic-style API key (sk-…)": `OPENAI_API_KEY=sk-${"Ab3dEf6hIj".repeat(4)}`,
    "GitHub token": `github_pat_${"11ABCDEFG0".repeat(4)}`,
    "GitLab token": "glpat-abcdefghij1234567890",
    "AWS access key id": "aws key ASIAY34FZKBOKMUTVV7A here",
    "AWS secret access key": `aws_secret_access_key = ${"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".slice(0, 40)}`,
    "JSON Web Token": "Authorization eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwcyJ9.c2lnbmF0dXJlX2hlcmU",
    "Slack token": "xoxb-123456789012-abcdefghijkl",
    "Google API key": `AIza${"SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q".slice(0, 35)}`,
    "Stripe key": "sk_live_51H8abcdefghijklmnop",
    "npm token": `npm_${"a1B2c3D4e5".repeat(3)}abcdef`,
    "Hugging Face token": `hf_${"aBcDeFgHiJ".repeat(3)}kl`,
    "bearer token": "curl -H 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345'",
    "URL with a password": "postgres://admin:hunter22@db.internal:5432/app",
    "secret assignment (key/token/password = …)": 'config: { "password": "correct-horse-battery-staple" }',
  };
  for (const [kind, text] of Object.entries(positives)) {
    it(`finds a ${kind}`, () => {
      expect(findSecrets(text).map((f) => f.kind)).toContain(kind);
    });
  }

  it("reports where the match starts, in order", () => {
    const text = `first ghp_${"A1b2C3d4E5".repeat(4)} then AKIAIOSFODNN7EXAMPLE`;
    const found = findSecrets(text);
    expect(found.map((f) => f.kind)).toEqual(["GitHub token", "AWS access key id"]);
    expect(found[0]?.index).toBe(6);
  });

  it("leaves ordinary engineering text alone", () => {
    const benign = [
      "We decided to use SQLite with WAL mode for the local cache.",
      "The task-runner skips tests when risk-assessment says so.",
      "commit 3f786850e387550fdab836ed7e6dc881de23001b fixed the bug",
      "sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "The password field must be at least 12 characters; store it in the vault.",
      "Set OPENAI_API_KEY in your shell; never commit it.",
      "The ask-about-keys flow uses sk- prefixed ids in docs only.",
      "Use Bearer auth with the token from the TOKEN env var.",
      "uuid 123e4567-e89b-12d3-a456-426614174000 names the session",
      "https://example.com/path?query=1 and ssh://git@github.com/org/repo.git",
      "api_key: see the DEPLOY_KEY environment variable",
    ];
    for (const text of benign) expect(findSecrets(text), text).toEqual([]);
  });
});
