import { describe, expect, it } from "vitest";
import { findSecrets, HIGH_ENTROPY_KIND, isKeyLike, shannonEntropy } from "./secret-scan.js";

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

  describe("key-like values in no known format (entropy check)", () => {
    // Built at run time so no secret-looking literal sits in the repository.
    const KEY = ["q7RmX2vL", "9tKp4WzB", "n3Hc8JyF", "5dGs1QaE"].join("");
    const BASE64_KEY = ["Yk3+Tq9/", "Lw2Rz8Xp", "Mn5vB7cD", "1fGh4Jk0", "sE6aW=="].join("");

    it("refuses a random key, bare or in an assignment the named patterns miss", () => {
      for (const text of [
        `use ${KEY} for the staging API`,
        `X_SERVICE_CREDENTIAL=${KEY}`,
        `{"deploy": "${BASE64_KEY}"}`,
        `the value was ${KEY.slice(0, 20)} yesterday`,
      ]) {
        expect(
          findSecrets(text).map((f) => f.kind),
          text,
        ).toEqual([HIGH_ENTROPY_KIND]);
      }
      expect(findSecrets(`note: ${KEY}`)[0]?.index).toBe(6);
    });

    it("refuses a base64 blob of 20+ characters (decided: it may hold a credential)", () => {
      const blob = Buffer.from("user=admin;pass=hunter2;host=db").toString("base64");
      expect(findSecrets(`header ${blob}`).map((f) => f.kind)).toEqual([HIGH_ENTROPY_KIND]);
    });

    it("finds almost every random base62 key of 20 to 64 characters", () => {
      // mulberry32: a small seeded PRNG, so the sample (and the count) is the same on every run.
      let seed = 42;
      const next = (): number => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return (t ^ (t >>> 14)) >>> 0;
      };
      const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
      for (const length of [20, 32, 40, 64]) {
        let found = 0;
        for (let i = 0; i < 500; i++) {
          const key = Array.from({ length }, () => alphabet[next() % 62]).join("");
          if (findSecrets(`token ${key}`).length > 0) found++;
        }
        // Misses are keys without a digit or upper case, or with long word-like segments.
        expect(found, `length ${length}`).toBeGreaterThanOrEqual(length >= 32 ? 490 : 470);
      }
    });

    it("leaves hashes, UUIDs, ids, identifiers and paths alone", () => {
      const benign = [
        "commit 3f786850e387550fdab836ed7e6dc881de23001b\nAuthor: Dev <dev@example.com>\n\n    Fix the cache",
        "3f78685 (HEAD -> main, origin/main) Merge pull request #42 from org/feature-x",
        "ABCDEF0123456789ABCDEF0123456789ABCDEF01 is an upper-case hex digest",
        "session 123e4567-e89b-12d3-a456-426614174000 and 550E8400-E29B-41D4-A716-446655440000",
        "turn/ses_4b3f2a1c9ffeA8bC7dE6fG5hI4/msg_4b3f2a1d0ffeZ9yX8wV7uT6sR5 was recorded",
        "the tool call toolu_01A2b3C4d5E6f7G8h9I0j1K2 returned",
        '"integrity": "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUR"',
        "getUserByIdAndOrganization2024 calls useStateWithLocalStorage2Hook",
        "OAuth2ClientCredentialsFlow, HTTP2ServerRequestHandlerV3, ES2022ModuleResolution",
        "README2ndEditionDraftV3Final and IPv6AddressParser4Tests",
        "my-long-feature-branch-name-2024-Final and MEMORY_SECRET_DETECTED_2",
        "packages/memory/src/embedded-store.ts and node_modules/.pnpm/vitest@4.1.0_typescript@5.9.2",
        "https://github.com/anomalyco/opencode/blob/9f8e7d6/packages/opencode/src/tool/patch.ts",
        "x86_64-unknown-linux-gnu, 2024-05-01T12:34:56.789Z, v1.18.33",
        "The orchestrator spawns workers, and each worker is held to its profile's permissions.",
      ];
      for (const text of benign) expect(findSecrets(text), text).toEqual([]);
    });

    it("measures entropy in bits per character", () => {
      expect(shannonEntropy("aaaa")).toBe(0);
      expect(shannonEntropy("abcd")).toBe(2);
      expect(isKeyLike(KEY)).toBe(true);
      expect(isKeyLike(KEY.toLowerCase())).toBe(false);
    });
  });
});
