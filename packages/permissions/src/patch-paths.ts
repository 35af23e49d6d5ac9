const MARKERS = ["*** Add File: ", "*** Update File: ", "*** Delete File: ", "*** Move to: "];

/** Every file path a patch touches: OpenCode's `*** Begin Patch` format, and unified-diff headers. */
export function patchPaths(patchText: string): string[] {
  const out: string[] = [];
  for (const rawLine of patchText.split("\n")) {
    const line = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    for (const m of MARKERS) {
      if (line.startsWith(m)) out.push(line.slice(m.length).trim());
    }
    if (line.startsWith("+++ ") || line.startsWith("--- ")) {
      const p = (line.slice(4).split("\t")[0] ?? "").trim();
      if (p !== "/dev/null" && p !== "") out.push(p.replace(/^[ab]\//, ""));
    }
  }
  return out;
}
