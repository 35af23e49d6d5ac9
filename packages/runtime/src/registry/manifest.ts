import { resolve } from "node:path";
import { parseDocument } from "./document.js";
import { RegistryError } from "./errors.js";
import { type FileLockOptions, withFileLock } from "./file-lock.js";
import { deleteIfExists, readTextIfExists, setAside, writeJsonAtomic } from "./json-file.js";
import { consoleRegistryLogger, type RegistryLogger } from "./logger.js";
import { defaultManifestFile } from "./paths.js";
import {
  describeIssues,
  type Manifest,
  ManifestFileSchema,
  ManifestSchema,
  ManifestWorkerSchema,
} from "./schema.js";

/** Options of the recovery manifest helpers. */
export interface ManifestOptions extends FileLockOptions {
  /** The manifest file (default {@link defaultManifestFile}). Inject one in tests. */
  file?: string;
  /** Receives a warning whenever a corrupt manifest or invalid workers are set aside. */
  logger?: RegistryLogger;
}

function manifestFile(options: ManifestOptions): string {
  return resolve(options.file ?? defaultManifestFile());
}

/**
 * Writes the recovery manifest atomically (temp file, fsync, rename; mode 0600), replacing any
 * previous one. An orchestrator writes it as the last step of its shutdown (seed §1.2).
 *
 * @throws {RegistryError} `REGISTRY_INVALID_ENTRY` if `manifest` does not match the schema;
 * `REGISTRY_IO`, `REGISTRY_LOCK_TIMEOUT` on file-system trouble.
 */
export async function writeManifest(manifest: Manifest, options: ManifestOptions = {}): Promise<void> {
  const parsed = ManifestSchema.safeParse(manifest);
  if (!parsed.success) {
    throw new RegistryError(
      "REGISTRY_INVALID_ENTRY",
      `not a valid recovery manifest: ${describeIssues(parsed.error)}`,
      {
        hints: ["fix the fields named above; see ManifestSchema for the shape"],
      },
    );
  }
  const file = manifestFile(options);
  await withFileLock(file, options, options.logger ?? consoleRegistryLogger, async (lock) => {
    lock.assertHeld();
    await writeJsonAtomic(file, parsed.data);
  });
}

/**
 * Reads the recovery manifest; `undefined` when there is none. A corrupt manifest (unparsable,
 * truncated, wrong shape) is moved aside as `<file>.corrupt-<timestamp>…` with a warning and
 * reads as `undefined`; invalid workers inside a valid manifest are dropped (the original is
 * copied aside) while the valid ones are returned.
 *
 * @throws {RegistryError} `REGISTRY_IO`, `REGISTRY_LOCK_TIMEOUT` on file-system trouble.
 */
export async function readManifest(options: ManifestOptions = {}): Promise<Manifest | undefined> {
  const file = manifestFile(options);
  const logger = options.logger ?? consoleRegistryLogger;
  const parse = (raw: string | undefined) =>
    parseDocument(raw, ManifestFileSchema, "workers", ManifestWorkerSchema, (w) => w.id);
  const first = parse(await readTextIfExists(file));
  if (first.kind === "missing") return undefined;
  if (first.kind === "ok" && first.invalid.length === 0) return { ...first.top, workers: first.items };
  return withFileLock(file, options, logger, async (lock) => {
    const parsed = parse(await readTextIfExists(file));
    if (parsed.kind === "missing") return undefined;
    if (parsed.kind === "corrupt" || parsed.kind === "newer") {
      const aside = await setAside(file, "move");
      const reason = parsed.kind === "newer" ? `format version ${parsed.version}` : parsed.reason;
      logger.warn(`the recovery manifest was corrupt (${reason}); moved it aside and ignored it`, {
        file,
        setAsideAs: aside,
      });
      return undefined;
    }
    const manifest: Manifest = { ...parsed.top, workers: parsed.items };
    if (parsed.invalid.length > 0) {
      const aside = await setAside(file, "copy");
      logger.warn(
        `dropped ${parsed.invalid.length} invalid ${parsed.invalid.length === 1 ? "worker" : "workers"} from the recovery manifest; the original file is kept aside`,
        { file, setAsideAs: aside, invalid: parsed.invalid },
      );
      lock.assertHeld();
      await writeJsonAtomic(file, manifest);
    }
    return manifest;
  });
}

/**
 * Deletes the recovery manifest (the last step of recovery); `false` if there was none.
 *
 * @throws {RegistryError} `REGISTRY_IO`, `REGISTRY_LOCK_TIMEOUT` on file-system trouble.
 */
export async function deleteManifest(options: ManifestOptions = {}): Promise<boolean> {
  const file = manifestFile(options);
  return withFileLock(file, options, options.logger ?? consoleRegistryLogger, () => deleteIfExists(file));
}
