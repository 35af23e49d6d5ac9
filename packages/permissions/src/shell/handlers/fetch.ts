import { deny } from "../../decision.js";
import { checkUrl } from "../../network.js";
import type { ShellAnalyzer } from "../analyzer.js";
import { type Arg, literalArg } from "../arg.js";
import type { ShellState } from "../state.js";

/**
 * Check `curl` or `wget`: every URL against the network level, the files it reads, writes or saves,
 * and the options that send the request elsewhere or follow redirects.
 */
export function analyzeFetch(an: ShellAnalyzer, name: string, args: readonly Arg[], s: ShellState): void {
  const level = an.env.policy.network;
  if (level === "none")
    deny("network.none", `\`${name}\` uses the network.`, "commands without network access");
  const reserved = an.env.context.reservedLocalPorts ?? [];
  const curl = name === "curl";
  const valueFlags = curl
    ? "H header d data data-raw data-binary data-urlencode data-ascii json X request u user A user-agent e referer b cookie F form w write-out m max-time connect-timeout retry retry-delay retry-max-time r range E cert key cacert capath y Y z C limit-rate oauth2-bearer"
    : "U user-agent header t tries T timeout w wait user password post-data method body-data referer";
  const values = new Set(valueFlags.split(" ").map((f) => (f.length === 1 ? `-${f}` : `--${f}`)));
  const writes = new Set(
    curl
      ? ["-o", "--output", "-D", "--dump-header", "-c", "--cookie-jar"]
      : ["-O", "--output-document", "-o", "--output-file", "-a", "--append-output"],
  );
  const reads = new Set(
    curl
      ? ["-T", "--upload-file", "-K", "--config"]
      : ["-i", "--input-file", "--post-file", "--body-file", "--load-cookies"],
  );
  const hostile = new Set(
    curl
      ? [
          "-x",
          "--proxy",
          "--preproxy",
          "--resolve",
          "--connect-to",
          "--unix-socket",
          "--abstract-unix-socket",
          "--doh-url",
          "-K",
          "--config",
        ]
      : ["-e", "--execute", "-i", "--input-file", "--proxy"],
  );
  const urls: string[] = [];
  let remoteName = !curl;
  // Redirects are followed by wget unless `--max-redirect=0`, and by curl with -L: only the
  // first URL could be checked, so under `network: localhost` that is refused (issue 11, item 9).
  let followsRedirects = !curl;
  const fs = an.env.policy.filesystem;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as Arg;
    const v = a.v.value;
    if (a.v.kind === "dynamic") {
      deny(
        "network.invalid-url",
        `\`${a.text}\` is built at run time, so the URL cannot be checked.`,
        "a literal URL",
      );
    }
    if (v.startsWith("-") && v !== "-") {
      const eq = v.indexOf("=");
      const flag = eq === -1 ? v : v.slice(0, eq);
      if (curl && (flag === "--location" || flag === "--location-trusted" || /^-[^-]*L/.test(v)))
        followsRedirects = true;
      if (!curl && flag === "--max-redirect") followsRedirects = v !== "--max-redirect=0";
      const bundleLast = !v.startsWith("--") && v.length > 2 ? `-${v[v.length - 1]}` : flag;
      const key =
        values.has(flag) || writes.has(flag) || reads.has(flag) || hostile.has(flag) || flag === "--url"
          ? flag
          : bundleLast;
      if (hostile.has(key) && (level !== "full" || key === "-e" || key === "--execute")) {
        deny(
          "network.not-localhost",
          `\`${name} ${key}\` can send the request somewhere other than the URL shows, or run commands.`,
          `\`${name}\` without ${key}`,
        );
      }
      if (
        curl &&
        (key === "-O" ||
          key === "--remote-name" ||
          v === "--remote-name-all" ||
          (!v.startsWith("--") && v.includes("O")))
      )
        remoteName = true;
      const next = eq === -1 ? args[i + 1] : { v: { ...a.v, value: v.slice(eq + 1) }, text: v.slice(eq + 1) };
      const consumes =
        eq === -1 &&
        (values.has(key) || writes.has(key) || reads.has(key) || hostile.has(key) || key === "--url");
      if (next && (writes.has(key) || reads.has(key))) {
        if (!(writes.has(key) && next.v.value === "-"))
          an.touch(next.v, writes.has(key) ? "write" : "read", s, `The value of \`${key}\``);
        if (!curl && (key === "-O" || key === "--output-document")) remoteName = false;
      }
      if (next && key === "--url") urls.push(next.v.value);
      if (
        curl &&
        next &&
        (key === "-d" || key.startsWith("--data") || key === "-F" || key === "--form" || key === "--json")
      ) {
        const at = next.v.value.indexOf("@");
        if ((key === "-F" || key === "--form" ? at > 0 : at === 0) && at < next.v.value.length - 1) {
          an.touch(
            { ...next.v, value: next.v.value.slice(at + 1), tilde: false },
            "read",
            s,
            "The uploaded file",
          );
        }
      }
      if (consumes) i++;
      continue;
    }
    urls.push(v);
  }
  if (urls.length === 0) return;
  if (followsRedirects && level === "localhost") {
    deny(
      "network.not-localhost",
      `\`${name}\` follows redirects, and a redirect can lead anywhere; only the first URL can be checked.`,
      curl ? "`curl` without -L/--location" : "`wget --max-redirect=0 …`",
    );
  }
  for (const u of urls) {
    checkUrl(u, level, reserved, "http");
    if (remoteName) {
      if (fs !== "full")
        deny(
          "filesystem.read-only",
          `\`${name}\` saves \`${u}\` to a file.`,
          curl ? "`curl` without -O (output to stdout)" : "`wget -O -`",
        );
      const path = u.replace(/^[a-zA-Z]+:\/\/[^/]*/, "").replace(/[?#].*$/, "");
      const base = path.slice(path.lastIndexOf("/") + 1) || "index.html";
      an.touch(literalArg(base).v, "write", s, "The downloaded file");
    }
  }
}
