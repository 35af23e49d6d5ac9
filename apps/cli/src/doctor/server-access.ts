import { type Catalog, fetchCatalog } from "@orchestra/resolver";

/** How long one request to the `--server` may take, in ms. */
const SERVER_TIMEOUT_MS = 5_000;

/** A running OpenCode server given with `--server`, and the credentials from the environment. */
export interface ServerAccess {
  /** Base URL without a trailing slash. */
  url: string;
  /** `OPENCODE_SERVER_USERNAME`, default `opencode`. */
  username: string;
  /** `OPENCODE_SERVER_PASSWORD`, when set. */
  password?: string;
}

/** The server at `url`, with the basic-auth credentials OpenCode reads from `env`. */
export function serverAccess(url: string, env: NodeJS.ProcessEnv): ServerAccess {
  const password = env.OPENCODE_SERVER_PASSWORD;
  return {
    url,
    username: env.OPENCODE_SERVER_USERNAME || "opencode",
    ...(password ? { password } : {}),
  };
}

/** What one GET answered: its status and JSON body, or why there was no answer. */
export type ServerAnswer = { ok: true; status: number; body: unknown } | { ok: false; reason: string };

/** `GET <path>` on the server, with its credentials unless `anonymous`; never throws. */
export async function serverGet(
  access: ServerAccess,
  path: string,
  options: { anonymous?: boolean } = {},
): Promise<ServerAnswer> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (!options.anonymous && access.password !== undefined)
    headers.authorization = `Basic ${Buffer.from(`${access.username}:${access.password}`).toString("base64")}`;
  try {
    const res = await fetch(`${access.url}${path}`, {
      headers,
      signal: AbortSignal.timeout(SERVER_TIMEOUT_MS),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON (an error page): keep the text.
    }
    return { ok: true, status: res.status, body };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason =
      error instanceof Error && error.name === "TimeoutError"
        ? `no answer within ${SERVER_TIMEOUT_MS} ms`
        : (cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error)));
    return { ok: false, reason };
  }
}

/** What the doctor learnt from the server: its model catalog and the user's default model. */
export interface ServerFacts {
  access: ServerAccess;
  /** `GET /provider` as a catalog, or why it could not be read. */
  catalog:
    | { ok: true; catalog: Catalog }
    | {
        ok: false;
        reason: string;
        hint?: string;
        /** The server needs a password doctor does not have (or has a wrong one). */
        unauthorized?: true;
      };
  /** `model` of the server's OpenCode config (`GET /config`), when set. */
  defaultModel?: string;
}

/** Read the catalog and the default model once, for the checks that need them. */
export async function readServerFacts(access: ServerAccess): Promise<ServerFacts> {
  const config = await serverGet(access, "/config");
  // Unreachable: say so once, without waiting for the catalog's own timeout.
  if (!config.ok)
    return { access, catalog: { ok: false, reason: `cannot reach ${access.url}: ${config.reason}` } };
  if (config.status === 401)
    return {
      access,
      catalog: {
        ok: false,
        unauthorized: true,
        reason: `${access.url} needs a password`,
        hint: "set OPENCODE_SERVER_PASSWORD (and OPENCODE_SERVER_USERNAME if it is not `opencode`) to the server's and run doctor again",
      },
    };
  let catalog: ServerFacts["catalog"];
  try {
    catalog = {
      ok: true,
      catalog: await fetchCatalog(access.url, {
        username: access.username,
        timeoutMs: SERVER_TIMEOUT_MS * 2,
        ...(access.password === undefined ? {} : { password: access.password }),
      }),
    };
  } catch (error) {
    const hints = (error as { hints?: readonly string[] }).hints ?? [];
    catalog = {
      ok: false,
      reason: error instanceof Error ? error.message : String(error),
      ...(hints[0] === undefined ? {} : { hint: hints[0] }),
    };
  }
  const model = config.status === 200 ? (config.body as { model?: unknown } | null)?.model : undefined;
  return { access, catalog, ...(typeof model === "string" && model !== "" ? { defaultModel: model } : {}) };
}
