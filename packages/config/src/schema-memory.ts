/** The memory graph: embedded store or Neo4j. */
import { z } from "zod";

const neo4jSchema = z
  .strictObject({
    uri: z
      .string()
      .regex(/^(neo4j|bolt)(\+s|\+ssc)?:\/\/.+/, "a neo4j:// or bolt:// URI")
      .describe("Bolt URI of the Neo4j server.")
      .meta({ examples: ["bolt://127.0.0.1:7687"] }),
    user: z
      .string()
      .min(1)
      .max(200)
      .default("neo4j")
      .describe("User name.")
      .meta({ examples: ["neo4j"] }),
    password: z
      .string()
      .max(1_000)
      .optional()
      .describe("Password; falls back to the NEO4J_PASSWORD environment variable.")
      .meta({ "x-default": "$NEO4J_PASSWORD", examples: ["secret"] }),
    database: z
      .string()
      .min(1)
      .max(200)
      .default("neo4j")
      .describe("Database name.")
      .meta({ examples: ["memory"] }),
  })
  .describe("Use a Neo4j server instead of the embedded store.");

export const memorySchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe("Enable memory tools and injection.")
      .meta({ examples: [false] }),
    autoRecord: z
      .boolean()
      .default(true)
      .describe("Record a summary of each finished turn.")
      .meta({ examples: [false] }),
    autoInject: z
      .boolean()
      .default(true)
      .describe("Inject relevant memories at session start.")
      .meta({ examples: [false] }),
    allowRestrictedSources: z
      .boolean()
      .default(false)
      .describe(
        "Let memories from a more restricted source reach a less restricted session: a worker's memories reach a session whose profile allows more in some category (the orchestrator allows everything), and memories of unknown source (stored before provenance was recorded) reach every session. They are injected and listed as quoted data with their provenance either way. Off: a memory reaches only sessions at least as restricted as its source (every category level at or below the source's).",
      )
      .meta({ examples: [true] }),
    scope: z
      .enum(["project", "global"])
      .default("project")
      .describe("Default scope of new memories.")
      .meta({ examples: ["global"] }),
    maxValueChars: z
      .number()
      .int()
      .min(100)
      .max(1_000_000)
      .default(20_000)
      .describe("Longest value `memory_put` accepts, in characters.")
      .meta({ examples: [5_000] }),
    inject: z
      .strictObject({
        maxChars: z
          .number()
          .int()
          .min(0)
          .max(100_000)
          .default(2_000)
          .describe("Budget of injected memory text, in characters.")
          .meta({ examples: [4_000] }),
        maxEntries: z
          .number()
          .int()
          .min(0)
          .max(100)
          .default(8)
          .describe("Most memories injected.")
          .meta({ examples: [12] }),
        includeGlobal: z
          .boolean()
          .default(true)
          .describe("Also inject global memories.")
          .meta({ examples: [false] }),
      })
      .prefault({})
      .describe("What goes into a session's context at start.")
      .meta({ examples: [{ maxEntries: 4 }] }),
    embedded: z
      .strictObject({
        path: z
          .string()
          .min(1)
          .max(4096)
          .optional()
          .describe("Database file of the embedded store.")
          .meta({
            "x-default": "~/.local/share/opencode/orchestra/memory.db",
            examples: ["~/orchestra-memory.db"],
          }),
      })
      .prefault({})
      .describe("The embedded store, used unless `neo4j` is set.")
      .meta({ examples: [{ path: "/tmp/memory.db" }] }),
    neo4j: neo4jSchema.optional().meta({
      "x-default":
        "unset (embedded store); NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE are read when unset",
      examples: [{ uri: "bolt://127.0.0.1:7687", user: "neo4j", password: "secret" }],
    }),
  })
  .prefault({})
  .describe("The memory graph: an embedded store by default, Neo4j when configured.")
  .meta({ examples: [{ autoRecord: false }] });
