import type { ScopeReader } from "../../search-scope.js";
import type { Arg } from "../arg.js";

/** What one command reads recursively. */
export interface Plan {
  readonly reader: ScopeReader;
  /** Operands whose directories are read with everything beneath them. */
  readonly roots: readonly Arg[];
  /** With no existing root the program searches its working directory (`grep -r x`, `rg x`). */
  readonly defaultCwd: boolean;
  readonly follow: boolean;
  readonly skipGit: boolean;
  /** Other directories relative operands may be resolved against (`tar -C dir`). */
  readonly bases?: readonly string[];
  /** The directories the program runs in, when not the shell's (`git -C dir`). */
  readonly cwds?: readonly string[];
}

/** What a search program could do instead of reading a denied file. */
export const SEARCH_INSTEAD =
  "a search of a directory that holds no denied file (a subdirectory, for example), or the files to search named one by one";
