import type { Hooks } from "@opencode-ai/plugin";
import type { Orchestra } from "@orchestra/runtime";
import type { Activity } from "./activity.js";

type ChatMessageHook = NonNullable<Hooks["chat.message"]>;
type Part = Parameters<ChatMessageHook>[1]["parts"][number];

/** The profile images are routed to. */
const VISION_PROFILE = "vision";

function isImage(part: Part): part is Extract<Part, { type: "file" }> {
  return part.type === "file" && typeof part.mime === "string" && part.mime.startsWith("image/");
}

/**
 * The `chat.message` hook of vision routing: when a user message with images goes to a model
 * without image input, each image is analysed by the vision worker and replaced, in place, by a
 * text part carrying the analysis. Images are never dropped silently: if the analysis fails, the
 * part says so and why.
 */
export function visionRouting(orchestra: Orchestra, activity: Activity): ChatMessageHook {
  return async (input, output) => {
    const images = output.parts.filter(isImage);
    if (images.length === 0 || !input.model) return;
    const ref = `${input.model.providerID}/${input.model.modelID}`;
    const resolver = await orchestra.resolver();
    const target = resolver.tryResolve(ref);
    if (target.ok && target.resolution.capabilities.vision) return;

    const question = output.parts
      .filter((p): p is Extract<Part, { type: "text" }> => p.type === "text")
      .map((p) => p.text)
      .join("\n")
      .trim();
    let analysis: string;
    try {
      const worker = await orchestra.spawn(VISION_PROFILE);
      const answer = await orchestra.ask(
        worker.id,
        `Describe ${images.length === 1 ? "this image" : `these ${images.length} images`} in detail, including any text in ${images.length === 1 ? "it" : "them"}, for a model that cannot see images.${question ? ` The user asked: ${question}` : ""}`,
        {
          attachments: images.map((p) => ({
            mime: p.mime,
            url: p.url,
            ...(p.filename ? { filename: p.filename } : {}),
          })),
        },
      );
      analysis = answer.text;
      activity.log("vision", `${images.length} image(s) for ${ref} analysed by ${worker.id}`);
    } catch (error) {
      analysis = `(the vision worker could not analyse it: ${error instanceof Error ? error.message : String(error)})`;
      activity.log("vision", `analysis failed: ${analysis}`);
    }
    const names = images.map((p, i) => p.filename ?? `image ${i + 1}`).join(", ");
    const text = `[${names}: ${ref} cannot see images, so the vision worker analysed ${images.length === 1 ? "it" : "them"}]\n${analysis}`;
    // Replace the first image in place with the analysis and drop the rest (covered by the same
    // text). Mutate the array itself: OpenCode keeps its own reference to it. The part is synthetic:
    // the model still reads it, but memory records the turn as carrying a worker's words (untrusted).
    const first = images[0];
    const kept = output.parts.flatMap((part): Part[] => {
      if (!isImage(part)) return [part];
      if (part !== first) return [];
      return [
        {
          id: part.id,
          sessionID: part.sessionID,
          messageID: part.messageID,
          type: "text",
          text,
          synthetic: true,
        },
      ];
    });
    output.parts.splice(0, output.parts.length, ...kept);
  };
}
