/** Worker-to-worker requests (`ask_peer`). */

import { z } from "zod";

export const delegationSchema = z
  .strictObject({
    maxDepth: z
      .number()
      .int()
      .min(1)
      .max(8)
      .default(2)
      .describe(
        "The longest chain of asks a worker-to-worker request (`ask_peer`) may make, counted in hops: the orchestrator asking a worker is depth 1, that worker asking a peer is depth 2, and so on. A request deeper than this is refused with `JOB_DEPTH_EXCEEDED`; `1` turns `ask_peer` off. The orchestrator counts the depth from the job the asking worker runs, never from what the worker says.",
      )
      .meta({ examples: [3] }),
  })
  .prefault({})
  .describe(
    "Worker-to-worker requests: a worker whose profile enables `ask_peer` asks another worker through the orchestrator that owns it. Loops (A → B → A) are always refused (`JOB_LOOP`).",
  )
  .meta({ examples: [{ maxDepth: 3 }] });
