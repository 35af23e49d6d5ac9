export {
  EXECUTION_LEVELS,
  type ExecutionLevel,
  FILESYSTEM_LEVELS,
  type FilesystemLevel,
  NETWORK_LEVELS,
  type NetworkLevel,
  type Permissions,
  permissionsSchema,
  type ToolPermission,
  toolConstraintsSchema,
  toolPermissionSchema,
} from "./schema.js";
