const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A duration such as `30m`, `2h`, `7d` (also `s` and `w`), in milliseconds; `undefined` when
 * `text` is not one (a positive whole number and one unit).
 */
export function parseDuration(text: string): number | undefined {
  const match = /^([1-9][0-9]{0,8})([smhdw])$/.exec(text.trim());
  if (match === null) return undefined;
  return Number(match[1]) * (UNITS[match[2] as string] as number);
}
