/**
 * A real Neo4j 5.26 Community server for tests and benches, set up from this package's own files:
 *
 * 1. Maven resolves `neo4j-launcher/pom.xml` (Neo4j jars into ~/.m2, cached between runs);
 * 2. javac compiles `neo4j-launcher/Neo4jLauncher.java` into `.cache/neo4j-launcher/<hash>/`;
 * 3. the launcher starts an embedded DBMS with Bolt on 127.0.0.1 and a free port;
 * 4. we wait for its READY line, then for Bolt to answer a query;
 * 5. `stop()` kills the process and deletes its data folder.
 *
 * Any failure throws an Error saying what to install or look at — the Neo4j suite never skips.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import neo4j from "neo4j-driver";

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const LAUNCHER_DIR = join(PACKAGE_DIR, "neo4j-launcher");
const POM = join(LAUNCHER_DIR, "pom.xml");
const LAUNCHER_SRC = join(LAUNCHER_DIR, "Neo4jLauncher.java");

/** A running test server. */
export interface Neo4jTestServer {
  /** `bolt://127.0.0.1:<port>`. */
  uri: string;
  /** Always `neo4j`. */
  user: string;
  /** The password the launcher set. */
  password: string;
  /** The Java process id. */
  pid: number;
  /** How long each setup step took, in milliseconds (`fetch`/`compile` are 0 when cached). */
  timings: { fetchMs: number; compileMs: number; startMs: number; boltMs: number; totalMs: number };
  /** Resident memory of the Java process in MiB (Linux; `undefined` elsewhere). */
  rssMiB(): number | undefined;
  /** Kill the server and delete its data. */
  stop(): Promise<void>;
}

/** Options of {@link startNeo4jTestServer}. */
export interface Neo4jTestServerOptions {
  /** Extra JVM flags. The default favours start-up time (C1 only, serial GC, 768 MiB heap). */
  jvmArgs?: readonly string[];
  /** Neo4j page cache, MiB (default 128). */
  pageCacheMiB?: number;
  /** Progress lines (default: stderr, prefixed `[neo4j]`). */
  log?: (line: string) => void;
  /** How long start-up may take before it is a failure, ms (default 240 000). */
  startTimeoutMs?: number;
}

/** JVM flags tuned for a short-lived test server. */
const FAST_START_JVM_ARGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xms128m", "-Xmx768m"] as const;

const defaultLog = (line: string): void => {
  process.stderr.write(`[neo4j] ${line}\n`);
};

function fail(message: string, hint: string): Error {
  return new Error(`Neo4j test server: ${message}\n  → ${hint}`);
}

function requireTool(cmd: string, args: string[], what: string): void {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    throw fail(
      `${cmd} is not available (${r.error?.message ?? r.stderr.trim()})`,
      `install ${what}; the Neo4j contract suite needs it and does not skip`,
    );
  }
}

function cacheDir(): string {
  const hash = createHash("sha256")
    .update(readFileSync(POM))
    .update(readFileSync(LAUNCHER_SRC))
    .digest("hex");
  return join(PACKAGE_DIR, ".cache", "neo4j-launcher", hash.slice(0, 16));
}

async function runMaven(outputFile: string, log: (l: string) => void): Promise<void> {
  const started = Date.now();
  log(
    "resolving Neo4j 5.26 Community with Maven (first run downloads ~150 MB into ~/.m2; later runs are cached)…",
  );
  const child = spawn(
    "mvn",
    [
      "-B",
      "-f",
      POM,
      "dependency:build-classpath",
      `-Dmdep.outputFile=${outputFile}`,
      "-Dmdep.includeScope=runtime",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const tail: string[] = [];
  let downloads = 0;
  const ticker = setInterval(
    () =>
      log(`… still resolving: ${downloads} files downloaded, ${Math.round((Date.now() - started) / 1000)} s`),
    10_000,
  );
  const onData = (chunk: Buffer): void => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (line.trim() === "") continue;
      tail.push(line);
      if (tail.length > 40) tail.shift();
      if (line.includes("Downloaded from")) {
        downloads++;
        if (downloads % 50 === 0) log(`… ${downloads} files downloaded`);
      }
    }
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const code = await new Promise<number | null>((res, rej) => {
    child.on("error", rej);
    child.on("close", res);
  }).finally(() => clearInterval(ticker));
  if (code !== 0 || !existsSync(outputFile)) {
    throw fail(
      `Maven could not resolve the Neo4j artifacts (exit ${code}). Last output:\n${tail.join("\n")}`,
      "check that Maven Central (repo1.maven.org) is reachable, then re-run the tests",
    );
  }
  log(`resolved in ${((Date.now() - started) / 1000).toFixed(1)} s (${downloads} files downloaded)`);
}

/** Resolve the jars and compile the launcher, reusing the cache. Returns the Java classpath. */
async function prepareNeo4jLauncher(
  log: (line: string) => void = defaultLog,
): Promise<{ classpath: string; fetchMs: number; compileMs: number }> {
  requireTool("java", ["-version"], "a Java 17+ JDK (e.g. apt-get install openjdk-17-jdk-headless)");
  const dir = cacheDir();
  mkdirSync(dir, { recursive: true });
  const cpFile = join(dir, "classpath.txt");
  let fetchMs = 0;
  const jarsPresent = (): boolean =>
    existsSync(cpFile) &&
    readFileSync(cpFile, "utf8")
      .trim()
      .split(delimiter)
      .every((jar) => existsSync(jar));
  if (!jarsPresent()) {
    requireTool("mvn", ["-v"], "Apache Maven (e.g. apt-get install maven)");
    const started = Date.now();
    const tmp = `${cpFile}.${process.pid}.tmp`;
    await runMaven(tmp, log);
    renameSync(tmp, cpFile);
    fetchMs = Date.now() - started;
  }
  const jars = readFileSync(cpFile, "utf8").trim();
  const classes = join(dir, "classes");
  let compileMs = 0;
  if (!existsSync(join(classes, "Neo4jLauncher.class"))) {
    requireTool("javac", ["-version"], "a Java 17+ JDK with javac (openjdk-17-jdk-headless)");
    log("compiling neo4j-launcher/Neo4jLauncher.java…");
    const started = Date.now();
    const tmp = `${classes}.${process.pid}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    const r = spawnSync("javac", ["-d", tmp, "-cp", jars, LAUNCHER_SRC], { encoding: "utf8" });
    if (r.status !== 0)
      throw fail(`javac failed:\n${r.stderr}`, "check the JDK version (17+) and the launcher source");
    try {
      renameSync(tmp, classes);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another process won the race
    }
    compileMs = Date.now() - started;
  }
  return { classpath: [classes, jars].join(delimiter), fetchMs, compileMs };
}

async function waitForBolt(uri: string, user: string, password: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const driver = neo4j.driver(uri, neo4j.auth.basic(user, password), { connectionTimeout: 2_000 });
    try {
      await driver.executeQuery("RETURN 1 AS one");
      return;
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 250));
    } finally {
      await driver.close();
    }
  }
  throw fail(
    `Bolt at ${uri} did not answer within ${timeoutMs} ms: ${String(last)}`,
    "see the launcher output above",
  );
}

function rssMiB(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m?.[1] ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/** Fetch (if needed), compile (if needed) and start a throwaway Neo4j; resolves once Bolt answers. */
export async function startNeo4jTestServer(options: Neo4jTestServerOptions = {}): Promise<Neo4jTestServer> {
  const log = options.log ?? defaultLog;
  const total = Date.now();
  const { classpath, fetchMs, compileMs } = await prepareNeo4jLauncher(log);
  const home = mkdtempSync(join(tmpdir(), "orchestra-neo4j-"));
  const password = "orchestra-test-password";
  const startTimeoutMs = options.startTimeoutMs ?? 240_000;
  log(`starting Neo4j (data in ${home})…`);
  const started = Date.now();
  const child: ChildProcess = spawn(
    "java",
    [
      ...(options.jvmArgs ?? FAST_START_JVM_ARGS),
      "-cp",
      classpath,
      "Neo4jLauncher",
      home,
      "0",
      password,
      String(options.pageCacheMiB ?? 128),
    ],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  const output: string[] = [];
  const remember = (chunk: Buffer): void => {
    output.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (output.length > 60) output.splice(0, output.length - 60);
  };
  child.stderr?.on("data", remember);
  const cleanup = (): void => {
    child.kill("SIGKILL");
    rmSync(home, { recursive: true, force: true });
  };
  let uri: string;
  try {
    uri = await new Promise<string>((res, rej) => {
      const timer = setTimeout(
        () =>
          rej(fail(`no READY line within ${startTimeoutMs} ms`, "the machine may be overloaded; see output")),
        startTimeoutMs,
      );
      let buffered = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        remember(chunk);
        buffered += chunk.toString("utf8");
        const m = /NEO4J_READY (bolt:\/\/127\.0\.0\.1:\d+)/.exec(buffered);
        if (m?.[1]) {
          clearTimeout(timer);
          res(m[1]);
        }
      });
      child.on("error", (e) => {
        clearTimeout(timer);
        rej(fail(`cannot run java: ${e.message}`, "install a Java 17+ JDK"));
      });
      child.on("exit", (code, signal) => {
        clearTimeout(timer);
        let debugLog = "";
        try {
          debugLog = readFileSync(join(home, "logs", "debug.log"), "utf8")
            .split("\n")
            .slice(-25)
            .join("\n");
        } catch {}
        rej(
          fail(
            `the launcher exited (code ${code}, signal ${signal}) before Neo4j was ready.\n--- launcher output ---\n${output.join("\n")}\n--- debug.log (tail) ---\n${debugLog}`,
            "read the output above; a port clash or too little memory are the usual causes",
          ),
        );
      });
    });
  } catch (error) {
    cleanup();
    throw error;
  }
  const startMs = Date.now() - started;
  const boltStarted = Date.now();
  try {
    await waitForBolt(uri, "neo4j", password, 60_000);
  } catch (error) {
    cleanup();
    throw error;
  }
  const boltMs = Date.now() - boltStarted;
  const pid = child.pid ?? -1;
  const timings = { fetchMs, compileMs, startMs, boltMs, totalMs: Date.now() - total };
  log(
    `ready at ${uri} in ${(timings.totalMs / 1000).toFixed(1)} s (fetch ${fetchMs} ms, compile ${compileMs} ms, start ${startMs} ms, bolt ${boltMs} ms), RSS ${rssMiB(pid) ?? "?"} MiB`,
  );
  writeFileSync(join(home, "launcher.pid"), String(pid));
  return {
    uri,
    user: "neo4j",
    password,
    pid,
    timings,
    rssMiB: () => rssMiB(pid),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((res) => child.once("exit", () => res()));
        child.stdin?.end();
        child.kill("SIGKILL");
        await exited;
      }
      rmSync(home, { recursive: true, force: true });
      log("stopped");
    },
  };
}
