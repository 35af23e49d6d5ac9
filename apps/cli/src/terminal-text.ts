/** Whether `code` is a control character a terminal acts on (C0 but tab and newline, DEL, C1). */
function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f);
}

/** Index just past the escape sequence that starts at `start` (an ESC). */
function skipEscape(text: string, start: number): number {
  const kind = text[start + 1];
  if (kind === undefined) return start + 1;
  if (kind === "[") {
    // CSI: parameter and intermediate bytes, then one final byte.
    let i = start + 2;
    while (i < text.length && text.charCodeAt(i) >= 0x20 && text.charCodeAt(i) <= 0x3f) i++;
    return i < text.length && text.charCodeAt(i) >= 0x40 && text.charCodeAt(i) <= 0x7e ? i + 1 : i;
  }
  if ("]PX^_".includes(kind)) {
    // OSC, DCS, SOS, PM, APC: a string ended by BEL or ST (ESC \), or by the end of the text.
    let i = start + 2;
    while (i < text.length && text[i] !== "\u0007" && text[i] !== "\u001b") i++;
    if (text[i] === "\u0007") return i + 1;
    return text[i] === "\u001b" && text[i + 1] === "\\" ? i + 2 : i;
  }
  const code = kind.charCodeAt(0);
  return code >= 0x20 && code <= 0x7e ? start + 2 : start + 1;
}

/**
 * A worker's text made safe to print on the user's terminal: escape sequences (colours, cursor
 * moves, OSC 0 window titles, OSC 52 clipboard writes, …) and other control characters are removed;
 * tabs and newlines stay. A worker's model may be hostile, and its text reaches the terminal as is
 * otherwise. `--json` output needs none of this: JSON escapes control characters.
 */
export function terminalSafe(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x1b) {
      i = skipEscape(text, i);
      continue;
    }
    if (!isControl(code)) out += text[i];
    i++;
  }
  return out;
}
