export {
  modelRefSchema,
  type ProfileDefinition,
  type ProfileEntry,
  profileEntrySchema,
  profileIdSchema,
  profileSchema,
} from "./schema.js";
