// The orchestrator side of worker-to-worker requests: the peer bridge (127.0.0.1, one token per
// process worker, given at spawn) routed to a PeerRouter over this orchestra.
import { type Orchestra, PeerRouter, startPeerBridge } from "@orchestra/runtime";
import type { Activity } from "./activity.js";

/** The host's peer bridge, before and after the orchestra exists. */
export interface HostPeerBridge {
  /** The bridge's port (out of bounds for workers' shells and fetches). */
  readonly port: number;
  /** `createOrchestra`'s `workerEnvFor`: the bridge's URL and the worker's own token. */
  workerEnvFor(worker: { id: string }): Record<string, string>;
  /** Route requests to `orchestra`; a stopped or dead worker's token is dropped. */
  attach(orchestra: Orchestra, directory: string): void;
  close(): Promise<void>;
}

/** Start the bridge (before `createOrchestra`, whose spawns hand out its tokens). */
export async function startHostPeerBridge(activity: Activity): Promise<HostPeerBridge> {
  const bridge = await startPeerBridge({ log: (line) => activity.log("deny", line) });
  return {
    port: bridge.port,
    workerEnvFor: (worker) => bridge.envFor(worker),
    attach(orchestra, directory) {
      bridge.serve(new PeerRouter({ orchestra, directory, log: (line) => activity.log("ask", line) }));
      // Unless a new worker of the same id is already starting (its token replaced the old one).
      const forget = (info: { id: string }) => {
        const again = orchestra
          .workers()
          .some((w) => w.id === info.id && w.status !== "dead" && w.status !== "stopped");
        if (!again) bridge.forget(info.id);
      };
      orchestra.on("worker:dead", forget);
      orchestra.on("worker:stopped", forget);
    },
    close: () => bridge.close(),
  };
}
