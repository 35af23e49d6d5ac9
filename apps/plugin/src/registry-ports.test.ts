import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { registryPorts } from "./registry-ports.js";

const dir = mkdtempSync(join(tmpdir(), "orchestra-registry-ports-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("registryPorts", () => {
  it("reads every worker's port and follows changes to the file", () => {
    const file = join(dir, "registry.json");
    writeFileSync(file, JSON.stringify({ version: 1, entries: [{ port: 4101 }, { port: null }] }));
    const ports = registryPorts(file);
    expect(ports()).toEqual([4101]);
    writeFileSync(file, JSON.stringify({ version: 1, entries: [{ port: 4101 }, { port: 4102 }, { x: 1 }] }));
    expect(ports()).toEqual([4101, 4102]);
  });

  it("keeps the last ports when the file is damaged, and reads none without a file", () => {
    const file = join(dir, "damaged.json");
    writeFileSync(file, JSON.stringify({ entries: [{ port: 4200 }] }));
    const ports = registryPorts(file);
    expect(ports()).toEqual([4200]);
    writeFileSync(file, "{ not json");
    expect(ports()).toEqual([4200]);
    expect(registryPorts(join(dir, "missing.json"))()).toEqual([]);
    expect(registryPorts(undefined)()).toEqual([]);
  });
});
