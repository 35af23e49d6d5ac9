import { freePort } from "@orchestra/process";
import { describe, expect, it } from "vitest";
import { serverAccess } from "./server-access.js";
import { checkServerPlugin } from "./server-plugin.js";

// Against a running OpenCode (with and without the plugin): server.e2e.test.ts.
describe("checkServerPlugin with nothing listening at the URL", () => {
  it("fails, saying it cannot reach the URL", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    expect(await checkServerPlugin(serverAccess(url, {}))).toMatchObject({
      id: "server-plugin",
      status: "fail",
      message: `cannot reach ${url}: ECONNREFUSED`,
    });
  });
});
