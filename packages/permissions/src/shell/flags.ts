/**
 * Return the denied flag that `arg` spells, the way programs read flags:
 * bundled short flags are split (`-fdx` holds `-f`), `--flag=value` and `--flag-*` variants count,
 * and any long-flag prefix of at least three characters (`--fo`) that could expand to a denied
 * flag counts (git and getopt_long accept unambiguous abbreviations).
 */
export function deniedFlagIn(arg: string, denied: readonly string[]): string | undefined {
  if (!arg.startsWith("-") || arg === "-" || arg === "--") return undefined;
  if (arg.startsWith("--")) {
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg : arg.slice(0, eq);
    for (const d of denied) {
      if (!d.startsWith("--")) continue;
      if (name === d || name.startsWith(`${d}-`) || (name.length >= 3 && d.startsWith(name))) return d;
    }
    return undefined;
  }
  const eq = arg.indexOf("=");
  const bundle = arg.slice(1);
  for (const d of denied) {
    if (d.startsWith("--")) continue;
    if (arg === d || (eq !== -1 && arg.slice(0, eq) === d)) return d;
    const chars = d.slice(1);
    let all = chars.length > 0;
    for (const c of chars) {
      if (!bundle.includes(c)) {
        all = false;
        break;
      }
    }
    if (all) return d;
  }
  return undefined;
}

/**
 * Return the denied flag that any spelling of one option matches: `names` are the option's full
 * aliases from its program's table (`-f`, `--force`), so denying either spelling denies both, and
 * a denied `--flag` also denies an option named `--flag-*`.
 */
export function deniedOptionIn(names: readonly string[], denied: readonly string[]): string | undefined {
  for (const n of names) {
    for (const d of denied) if (n === d || (d.startsWith("--") && n.startsWith(`${d}-`))) return d;
  }
  return undefined;
}
