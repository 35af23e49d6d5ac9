/** Worker start/stop, health checks and the warm pool. */

import { profileIdSchema } from "@orchestra/profiles";
import { z } from "zod";
import { ms } from "./schema-primitives.js";

export const spawnSchema = z
  .strictObject({
    startupTimeoutMs: ms(1_000, 600_000)
      .default(30_000)
      .describe("How long a process worker may take to print its `listening on` line, in milliseconds.")
      .meta({ examples: [60_000] }),
    registryTtlMs: ms(60_000, 604_800_000)
      .default(86_400_000)
      .describe("Time-to-live of a device-registry entry without renewal, in milliseconds.")
      .meta({ examples: [3_600_000] }),
    shutdownGraceMs: ms(0, 60_000)
      .default(5_000)
      .describe("How long a worker may take to stop before SIGTERM, then SIGKILL, by process group.")
      .meta({ examples: [2_000] }),
  })
  .prefault({})
  .describe("Worker start and stop.")
  .meta({ examples: [{ startupTimeoutMs: 60_000 }] });

export const healthCheckSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe("Run periodic health checks on idle workers.")
      .meta({ examples: [true] }),
    intervalMs: ms(10_000, 3_600_000)
      .default(30_000)
      .describe("Time between checks of one worker, in milliseconds. At least 10 s.")
      .meta({ examples: [60_000] }),
    timeoutMs: ms(100, 60_000)
      .default(3_000)
      .describe("Timeout of one HTTP probe, in milliseconds.")
      .meta({ examples: [5_000] }),
    maxRetries: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(3)
      .describe("Retries, with exponential backoff and jitter, before a worker is confirmed dead.")
      .meta({ examples: [5] }),
    recoverySuccesses: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(2)
      .describe("Consecutive successful probes a suspect worker needs before it is handed out again.")
      .meta({ examples: [3] }),
    respawn: z
      .strictObject({
        enabled: z
          .boolean()
          .default(false)
          .describe("Respawn a worker of the same profile after its confirmed death.")
          .meta({ examples: [true] }),
        maxRestarts: z
          .number()
          .int()
          .min(0)
          .max(100)
          .default(3)
          .describe("Restart budget per profile within `windowMs`; past it the profile is not respawned.")
          .meta({ examples: [5] }),
        windowMs: ms(1_000, 86_400_000)
          .default(600_000)
          .describe("The sliding window of the restart budget, in milliseconds.")
          .meta({ examples: [300_000] }),
      })
      .prefault({})
      .describe("Respawn after death, with a restart budget so a crash loop cannot become a spawn storm.")
      .meta({ examples: [{ enabled: true, maxRestarts: 3, windowMs: 600_000 }] }),
  })
  .prefault({})
  .describe("Active health monitoring of workers (seed §1.1).")
  .meta({ examples: [{ intervalMs: 60_000 }] });

const warmPoolProfileSchema = z
  .strictObject({
    size: z
      .number()
      .int()
      .min(0)
      .max(16)
      .default(0)
      .describe("Ready workers kept for this profile; 0 disables warming.")
      .meta({ examples: [1] }),
    idleTimeoutMs: ms(0, 86_400_000)
      .default(300_000)
      .describe("Idle time after which a worker above the warm target is released, in milliseconds.")
      .meta({ examples: [120_000] }),
    maxUses: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(100)
      .describe("Leases after which a worker is recycled.")
      .meta({ examples: [50] }),
    maxAgeMs: ms(1_000, 604_800_000)
      .default(3_600_000)
      .describe("Age after which a worker is recycled, in milliseconds.")
      .meta({ examples: [1_800_000] }),
  })
  .describe("Warm-pool settings of one profile.");

export const warmPoolSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe("Keep pre-spawned workers ready.")
      .meta({ examples: [true] }),
    acquireTimeoutMs: ms(100, 600_000)
      .default(30_000)
      .describe("How long an acquire waits for a worker before failing, in milliseconds.")
      .meta({ examples: [10_000] }),
    profiles: z
      .record(profileIdSchema, warmPoolProfileSchema)
      .default({})
      .describe("Pool settings per profile id.")
      .meta({ examples: [{ coder: { size: 1, idleTimeoutMs: 300_000 } }] }),
  })
  .prefault({})
  .describe("The warm pool of pre-spawned workers (seed §1.3).")
  .meta({ examples: [{ enabled: true, profiles: { explorer: { size: 2 } } }] });
