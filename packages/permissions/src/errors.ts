import { OrchestraError } from "@orchestra/errors";

/** Stable codes of {@link PermissionsError}. */
export type PermissionsErrorCode = "PERMISSIONS_INVALID";

/** Thrown by {@link toOpencodePermission} when the permissions do not validate. */
export class PermissionsError extends OrchestraError<PermissionsErrorCode> {}
