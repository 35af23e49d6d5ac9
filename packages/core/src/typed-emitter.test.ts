import { describe, expect, it } from "vitest";
import { TypedEmitter } from "./typed-emitter.js";

interface Events {
  ready: [id: string];
  exit: [id: string, code: number];
}

class Emitter extends TypedEmitter<Events> {
  fire<K extends keyof Events>(event: K, ...args: Events[K]): void {
    this.emit(event, ...args);
  }
  clear(): void {
    this.removeAllListeners();
  }
}

describe("TypedEmitter", () => {
  it("calls listeners in order with the event's arguments, and unsubscribes", () => {
    const e = new Emitter();
    const seen: string[] = [];
    const off = e.on("exit", (id, code) => seen.push(`a:${id}:${code}`));
    e.on("exit", (id, code) => seen.push(`b:${id}:${code}`));
    e.fire("exit", "w1", 0);
    off();
    e.fire("exit", "w2", 1);
    expect(seen).toEqual(["a:w1:0", "b:w1:0", "b:w2:1"]);
    expect(e.listenerCount("exit")).toBe(1);
    e.clear();
    expect(e.listenerCount("exit")).toBe(0);
  });

  it("calls a once listener a single time", () => {
    const e = new Emitter();
    const seen: string[] = [];
    e.once("ready", (id) => seen.push(id));
    e.fire("ready", "a");
    e.fire("ready", "b");
    expect(seen).toEqual(["a"]);
  });

  it("keeps calling the other listeners when one throws, and rethrows its error later", async () => {
    const e = new Emitter();
    const seen: string[] = [];
    const thrown: unknown[] = [];
    const onUncaught = (error: unknown) => thrown.push(error);
    process.on("uncaughtException", onUncaught);
    try {
      e.on("ready", () => {
        throw new Error("listener bug");
      });
      e.on("ready", (id) => seen.push(id));
      e.fire("ready", "w");
      expect(seen).toEqual(["w"]);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("uncaughtException", onUncaught);
    }
    expect(thrown).toEqual([new Error("listener bug")]);
  });
});
