import { SECCOMP_FD } from "./sandbox-seccomp.js";

/**
 * The guard: a bash script run (outside the sandbox, in the launcher bwrap) around the sandboxed
 * command. bwrap cannot mount over a path that does not exist without creating it on the real disk, so a
 * control file that does not exist yet cannot be made read-only. Instead the guard waits until every
 * process of the sandbox is gone (its PID namespace ends with the command) and then moves any control
 * path that did not exist before out of the project, into a quarantine directory under `$TMPDIR`, telling
 * the command's output where it went.
 *
 * Arguments: `<project> <n> <n watched paths> <m> <m known control paths> <seccomp> -- <inner bwrap argv…>`,
 * where `<seccomp>` is the seccomp filter as `\xHH` escapes: the guard hands it to the inner bwrap on
 * fd {@link SECCOMP_FD} (through a pipe, as bwrap's `--seccomp` reads it).
 * Watched paths are fixed control paths that were missing (`opencode.json`, `.git/commondir`, …);
 * afterwards `find` also looks for control names (`.opencode`, `opencode.json`, `.git`, …) at any depth
 * that are not among the known ones.
 */
export function guardScript(controlNames: readonly string[]): string {
  const names = controlNames.map((n) => (n.includes("/") ? `-path '*/${n}'` : `-name '${n}'`)).join(" -o ");
  return `set -u
proj=$1; shift
n=$1; shift; watch=("\${@:1:$n}"); shift "$n"
n=$1; shift; declare -A known=(); for p in "\${@:1:$n}"; do known[$p]=1; done; shift "$n"
seccomp=$1; shift
shift
q=
quarantine() {
  [ -e "$1" ] || [ -L "$1" ] || return 0
  [ -n "$q" ] || q=$(mktemp -d "\${TMPDIR:-/tmp}/orchestra-sandbox-quarantine.XXXXXX") || q=
  dest="$q/$(printf %s "\${1#"$proj"/}" | tr / _)"
  if [ -n "$q" ] && mv -- "$1" "$dest" 2>/dev/null; then
    printf 'Open Orchestra sandbox: %s is a control file, which a sandboxed command may not create; it was moved to %s\\n' "$1" "$dest" >&2
  else
    rm -rf -- "$1"
    printf 'Open Orchestra sandbox: %s is a control file, which a sandboxed command may not create; it was removed\\n' "$1" >&2
  fi
}
revert() {
  for p in "\${watch[@]}"; do quarantine "$p"; done
  while IFS= read -r -d '' p; do [ -n "\${known[$p]+x}" ] || quarantine "$p"; done < <(find "$proj" \\( ${names} \\) -prune -print0 2>/dev/null)
}
trap 'trap - TERM INT HUP; sleep 0.2; revert; exit 143' TERM INT HUP
"$@" ${SECCOMP_FD}< <(printf %b "$seccomp")
rc=$?
revert
exit $rc`;
}

/** The launcher script of a read-only sandbox (no guard needed): `<seccomp> <inner bwrap argv…>`. */
export const SECCOMP_LAUNCHER = `seccomp=$1; shift; exec "$@" ${SECCOMP_FD}< <(printf %b "$seccomp")`;
