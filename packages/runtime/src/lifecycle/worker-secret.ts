import { createHmac, randomBytes } from "node:crypto";
import { link, mkdir, open, readFile, stat, unlink } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, isAbsolute, join } from "node:path";
import { LifecycleError } from "./lifecycle-error.js";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The default per-user worker secret: `$XDG_DATA_HOME/opencode/orchestra/worker-secret`, beside
 * the device registry (`~/.local/share/opencode/orchestra/worker-secret` by default).
 */
export function defaultSecretFile(env: Env = process.env): string {
  const xdg = env.XDG_DATA_HOME;
  const base = xdg !== undefined && xdg !== "" && isAbsolute(xdg) ? xdg : join(homedir(), ".local", "share");
  return join(base, "opencode", "orchestra", "worker-secret");
}

const SECRET_TEXT = /^[0-9a-f]{64}$/;

async function readSecret(file: string): Promise<Buffer> {
  const info = await stat(file);
  if (typeof process.getuid === "function" && info.uid !== process.getuid()) {
    throw new LifecycleError("LIFECYCLE_SECRET_INSECURE", `${file} belongs to another user`, {
      hints: [
        `remove ${file}; a new secret is created on the next start (live workers are then killed, not reconnected)`,
      ],
    });
  }
  if ((info.mode & 0o077) !== 0) {
    throw new LifecycleError(
      "LIFECYCLE_SECRET_INSECURE",
      `${file} is readable by other users (mode ${(info.mode & 0o777).toString(8)})`,
      { hints: [`run: chmod 600 ${file}`] },
    );
  }
  const text = (await readFile(file, "utf8")).trim();
  if (!SECRET_TEXT.test(text)) {
    throw new LifecycleError("LIFECYCLE_SECRET_INSECURE", `${file} does not hold a 64-hex-digit secret`, {
      hints: [`remove ${file}; a new secret is created on the next start`],
    });
  }
  return Buffer.from(text, "hex");
}

/**
 * Read the per-user worker secret, creating it (32 random bytes, mode 0600, directory 0700) on
 * first use. Creation is atomic across processes: the secret is written to a temp file and
 * hard-linked into place, so two orchestrators starting at once agree on one secret.
 *
 * @throws {LifecycleError} `LIFECYCLE_SECRET_INSECURE` when the file is group/world readable,
 * owned by someone else or malformed; `LIFECYCLE_SECRET_IO` on other file-system errors.
 */
export async function loadWorkerSecret(file: string = defaultSecretFile()): Promise<Buffer> {
  try {
    return await readSecret(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      if (LifecycleError.isInstance(error)) throw error;
      throw new LifecycleError("LIFECYCLE_SECRET_IO", `cannot read ${file}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const handle = await open(temp, "wx", 0o600);
    try {
      await handle.writeFile(`${randomBytes(32).toString("hex")}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(temp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // Another process created it first: use theirs.
    }
  } catch (error) {
    throw new LifecycleError("LIFECYCLE_SECRET_IO", `cannot create ${file}: ${(error as Error).message}`, {
      cause: error,
      hints: [`check that ${dirname(file)} is writable`],
    });
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  return readSecret(file);
}

/**
 * The server password of worker `workerId` whose registry entry was created at `createdAt`
 * (epoch ms): `base64url(HMAC-SHA256(secret, "orchestra-worker-password/v1\0<id>\0<createdAt>"))`.
 *
 * The password is fixed before the process exists (OpenCode reads it from the environment at
 * exec), so it cannot include the worker's pid or start time; the entry's `createdAt` plays
 * that role, and identity is checked separately by pid plus start time. The registry stores
 * only `hashPassword(password)`; a restarted orchestrator re-derives the password from the
 * secret, checks it against the stored hash, and then proves it on the worker's server.
 */
export function deriveWorkerPassword(secret: Buffer, workerId: string, createdAt: number): string {
  return createHmac("sha256", secret)
    .update(`orchestra-worker-password/v1\0${workerId}\0${createdAt}`, "utf8")
    .digest("base64url");
}
