import { freePort } from "@orchestra/process";
import { describe, expect, it } from "vitest";
import { serverAccess } from "./server-access.js";
import { checkServerAuth } from "./server-auth.js";

// Against a running OpenCode (no password, a password, a wrong one): server.e2e.test.ts.
describe("checkServerAuth with nothing listening at the URL", () => {
  it("fails, saying it cannot reach the URL and how to find the right one", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const result = await checkServerAuth(serverAccess(url, {}));
    expect(result).toMatchObject({
      id: "server-auth",
      status: "fail",
      message: `cannot reach ${url}: ECONNREFUSED`,
    });
    expect(result.hint).toContain("listening on");
  });
});
