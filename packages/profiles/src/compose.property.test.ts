import { isCategoryTool } from "@orchestra/permissions";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { profilesFromConfig } from "./config-profiles.js";
import { CATEGORY_LEVELS, levelRank } from "./draft.js";
import type { EffectivePermissions } from "./effective-profile.js";
import { createProfileRegistry } from "./registry.js";
import type { ProfileDefinition } from "./schema.js";

// Small alphabets so members overlap often.
const TOOLS = ["bash", "Shell", "read", "write", "mcp_x", "webfetch"];
const COMMANDS = ["git", "npm", "ls", "cat"];
const FLAGS = ["--force", "-f", "--hard"];
const GLOBS = ["src/**", "src/*", "docs/**", "**", "**/*.md", "test/**"];
const PATHS = ["src/a.ts", "src/x/b.ts", "docs/r.md", "test/t.ts", "README.md", "lib/c.ts", ".env"];

const levelArb = <C extends keyof typeof CATEGORY_LEVELS>(c: C) =>
  fc.option(fc.constantFrom(...CATEGORY_LEVELS[c]), { nil: undefined });
const toolArb = fc.record(
  {
    enabled: fc.boolean(),
    constraints: fc.record(
      { allowedCommands: fc.subarray(COMMANDS), deniedFlags: fc.subarray(FLAGS) },
      { requiredKeys: [] },
    ),
  },
  // `enabled` may be left out: such an entry merges into the parent's or falls under its category.
  { requiredKeys: [] },
);
const permissionsArb = fc.record(
  {
    categories: fc.record({
      filesystem: levelArb("filesystem"),
      execution: levelArb("execution"),
      network: levelArb("network"),
    }),
    // One spelling per canonical tool, so a member never names a tool twice.
    tools: fc.dictionary(fc.constantFrom("bash", "read", "write", "mcp_x", "webfetch"), toolArb, {
      maxKeys: 4,
    }),
    paths: fc.record(
      { allowed: fc.subarray(GLOBS), denied: fc.subarray(GLOBS, { maxLength: 2 }) },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);
const memberArb = (id: string) =>
  permissionsArb.map((permissions) => ({ id, permissions }) as ProfileDefinition);

/** Test glob matcher: `*` stays in a segment, `**` crosses segments (and dot-files). */
function matches(glob: string, path: string): boolean {
  const re = glob
    .split("**")
    .map((part) => part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*"))
    .join(".*");
  return new RegExp(`^${re}$`).test(path);
}

/** What a resolved profile permits, judged only from its own fields. */
function permits(p: EffectivePermissions) {
  return {
    tool: (t: string) => p.tools[t]?.enabled ?? isCategoryTool(t),
    command: (t: string, cmd: string) => p.tools[t]?.constraints.allowedCommands?.includes(cmd) ?? true,
    flagDenied: (t: string, flag: string) => p.tools[t]?.constraints.deniedFlags.includes(flag) ?? false,
    path: (path: string) =>
      !p.paths.denied.some((g) => matches(g, path)) &&
      p.paths.allowed.every((list) => list.some((g) => matches(g, path))),
  };
}

describe("compose is never wider than any member (property)", () => {
  it("levels, tools, commands, flags and paths", () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.nat(), { minLength: 1, maxLength: 4 })
          .chain((ns) => fc.tuple(...ns.map((_, i) => memberArb(`m${i}`)))),
        fc.option(permissionsArb, { nil: undefined }),
        (members, side) => {
          const composite = {
            id: "composite",
            compose: members.map((m) => m.id),
            ...(side === undefined ? {} : { permissions: side }),
          } as ProfileDefinition;
          const reg = createProfileRegistry({
            builtins: [],
            sources: [profilesFromConfig([...members, composite])],
          });
          const c = reg.resolveProfile("composite").profile.permissions;
          const cp = permits(c);
          for (const m of members) {
            const mp = reg.resolveProfile(m.id).profile.permissions;
            const allowed = permits(mp);
            for (const cat of Object.keys(CATEGORY_LEVELS) as (keyof typeof CATEGORY_LEVELS)[])
              expect(levelRank(cat, c.categories[cat])).toBeGreaterThanOrEqual(
                levelRank(cat, mp.categories[cat]),
              );
            for (const t of TOOLS.map((x) => x.toLowerCase()).map((x) => (x === "shell" ? "bash" : x))) {
              if (cp.tool(t)) expect(allowed.tool(t)).toBe(true);
              for (const cmd of COMMANDS) if (cp.command(t, cmd)) expect(allowed.command(t, cmd)).toBe(true);
              for (const flag of FLAGS)
                if (allowed.flagDenied(t, flag)) expect(cp.flagDenied(t, flag)).toBe(true);
            }
            for (const path of PATHS) if (cp.path(path)) expect(allowed.path(path)).toBe(true);
            expect(reg.resolveProfile("composite").provenance.widenings).toEqual([]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("the fields beside compose never widen the members either", () => {
    fc.assert(
      fc.property(memberArb("m0"), permissionsArb, (member, side) => {
        const reg = createProfileRegistry({
          builtins: [],
          sources: [
            profilesFromConfig([
              member,
              { id: "c", compose: ["m0"], permissions: side as ProfileDefinition["permissions"] },
            ]),
          ],
        });
        const c = permits(reg.resolveProfile("c").profile.permissions);
        const m = permits(reg.resolveProfile("m0").profile.permissions);
        for (const path of PATHS) if (c.path(path)) expect(m.path(path)).toBe(true);
        for (const t of ["bash", "read", "write", "mcp_x", "webfetch"])
          if (c.tool(t)) expect(m.tool(t)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("extends without explicit widening is never wider than the parent", () => {
    const narrowing = fc.record(
      {
        categories: fc.record({
          filesystem: fc.constant(undefined),
          execution: fc.constant("none" as const),
        }),
        paths: fc.record(
          { allowed: fc.subarray(GLOBS), denied: fc.subarray(GLOBS, { maxLength: 2 }) },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(memberArb("parent"), narrowing, (parent, child) => {
        const reg = createProfileRegistry({
          builtins: [],
          sources: [profilesFromConfig([parent, { id: "child", extends: "parent", permissions: child }])],
        });
        const r = reg.resolveProfile("child");
        expect(r.provenance.widenings).toEqual([]);
        const c = permits(r.profile.permissions);
        const p = permits(reg.resolveProfile("parent").profile.permissions);
        for (const path of PATHS) if (c.path(path)) expect(p.path(path)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
