// curl -L and wget follow redirects, and only the first URL can be checked: under
// `network: localhost` a local redirector would take them anywhere (issue 11, item 9).
import { describe, expect, it } from "vitest";
import { check } from "../check.js";
import { ctx, type ProfileName, profiles } from "../test-fixtures.js";

function run(profile: ProfileName, command: string) {
  return check(profiles[profile], { tool: "bash", args: { command } }, ctx);
}

describe("shell fetchers that follow redirects", () => {
  it.each([
    "curl -L http://localhost:3000/",
    "curl --location http://127.0.0.1:3000/",
    "curl --location-trusted http://127.0.0.1:3000/",
    "curl -sL http://localhost:3000/",
    "curl -sSL http://localhost:3000/",
    "curl -Ls http://localhost:3000/",
    "wget -O - http://localhost:3000/",
    "wget -qO- http://localhost:3000/",
    "wget --max-redirect=5 -O - http://localhost:3000/",
  ])("%s is denied under network: localhost", (command) => {
    const d = run("coder", command);
    expect(d).toMatchObject({ decision: "deny", rule: "network.not-localhost" });
    expect(d.reason).toContain("follows redirects");
    expect(d.reason).toMatch(/Allowed instead: \S/);
  });

  it.each([
    "curl http://localhost:3000/",
    "curl -s http://LOCALHOST:3000/health",
    "wget --max-redirect=0 -O - http://localhost:3000/",
  ])("%s is allowed under network: localhost", (command) => {
    expect(run("coder", command)).toMatchObject({ decision: "allow" });
  });
});
