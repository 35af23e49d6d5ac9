/** The suffix of the copy of the original file that `orchestra migrate --write` keeps. */
export const BACKUP_SUFFIX = ".v02.bak";
