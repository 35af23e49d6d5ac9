import { describe, expect, it } from "vitest";
import { BUILTIN_PROFILES } from "./builtins.js";
import { findProfile } from "./discovery.js";

// A labelled set of realistic task descriptions, written before the built-ins' tags and the scorer,
// and not edited afterwards to fit them. The measured top-1 accuracy is printed; the assertion is
// only a sanity floor, never the number itself.
const LABELLED: ReadonlyArray<readonly [string, string]> = [
  // vision
  ["analyze this image and extract text", "vision"],
  ["What does the error in this screenshot say?", "vision"],
  ["Transcribe the handwritten notes in the attached photo", "vision"],
  ["Compare the mockup PNG with the current login page and list visual differences", "vision"],
  ["Read the architecture diagram I pasted and describe the data flow", "vision"],
  ["Extract the table from this scanned invoice into CSV", "vision"],
  ["Describe what is shown in assets/hero.jpg", "vision"],
  ["The chart in the attached picture: what trend does it show?", "vision"],
  ["OCR the receipt photo and give me the total amount", "vision"],
  ["Check this UI screenshot for accessibility issues like low contrast", "vision"],
  ["Identify the icons used in this Figma export image", "vision"],
  ["Look at the whiteboard photo and turn it into a list of tasks", "vision"],
  // docs
  ["Find the official documentation for React Server Components and summarize how caching works", "docs"],
  ["How do I configure retries in the axios library? Look up the docs", "docs"],
  ["What changed between Next.js 14 and 15 according to the release notes?", "docs"],
  ["Research the best way to do rate limiting in Express and cite sources", "docs"],
  ["Look up the zod 4 API for discriminated unions", "docs"],
  ["Write a README section explaining how to install and configure the CLI", "docs"],
  ["Find examples of using the Stripe webhook API in Node", "docs"],
  ["Draft a migration guide from v1 to v2 for our users", "docs"],
  ["Which PostgreSQL isolation level should I use? Check the manual", "docs"],
  ["Search the web for known issues with Prisma and connection pooling on serverless", "docs"],
  ["Explain the OAuth 2.0 PKCE flow with references to the RFC", "docs"],
  ["Summarize the changelog of TypeScript 5.9 and what it means for us", "docs"],
  // coder
  ["write a REST API endpoint", "coder"],
  ["Fix the failing unit test in src/parser.test.ts", "coder"],
  ["Add a --verbose flag to the CLI and wire it to the logger", "coder"],
  ["Refactor the payment module to use async/await instead of callbacks", "coder"],
  ["Implement pagination for the /users endpoint", "coder"],
  ["The build fails with a TypeScript error about a missing property; fix it", "coder"],
  ["Write unit tests for the date formatting helpers", "coder"],
  ["Rename the UserService class to AccountService everywhere", "coder"],
  ["Add input validation with zod to the signup form handler", "coder"],
  ["Create a migration that adds an index on orders.created_at", "coder"],
  ["Bump the lodash dependency and fix any breaking changes", "coder"],
  ["Implement a retry with exponential backoff in the HTTP client", "coder"],
  ["Convert this JavaScript file to TypeScript with strict types", "coder"],
  ["Debug why the server crashes with a null pointer on startup and patch it", "coder"],
  // architect
  ["review this PR for security issues", "architect"],
  ["Design the database schema for a multi-tenant SaaS app", "architect"],
  ["Should we split the monolith into microservices? Weigh the trade-offs", "architect"],
  ["Plan the steps to migrate our auth from sessions to JWT", "architect"],
  ["Review the error handling strategy across the services and suggest improvements", "architect"],
  ["Propose an architecture for real-time notifications at scale", "architect"],
  ["Assess the code quality of the billing module and point out design smells", "architect"],
  ["Evaluate whether we should use Redis or Postgres for the job queue", "architect"],
  ["Write a technical design document for the new caching layer", "architect"],
  ["Audit the permissions model for privilege escalation risks", "architect"],
  ["Break this feature request down into an implementation plan with milestones", "architect"],
  ["Critique the API design of our public SDK for consistency", "architect"],
  // explorer
  ["Where is the function that parses the config file defined?", "explorer"],
  ["Find all usages of the deprecated fetchUser helper", "explorer"],
  ["List every file that imports from lodash", "explorer"],
  ["Which files handle authentication in this repo?", "explorer"],
  ["Give me a quick overview of the project structure", "explorer"],
  ["Search the codebase for TODO comments", "explorer"],
  ["Locate where the HTTP port is configured", "explorer"],
  ["What test framework does this project use?", "explorer"],
  ["Find the call sites of sendEmail and show their arguments", "explorer"],
  ["How many React components are in src/components?", "explorer"],
  ["Grep for hard-coded API keys or secrets in the repo", "explorer"],
  ["Which module exports the createServer function?", "explorer"],
  // memory
  ["Remember that we decided to use pnpm workspaces for the monorepo", "memory"],
  ["What did we decide last week about the logging format?", "memory"],
  ["Save a note that the staging database is read-only on Fridays", "memory"],
  ["Recall the conventions we agreed on for error codes", "memory"],
  ["Store the fact that the payments team owns the billing service", "memory"],
  ["Have we discussed switching to Bun before? Check our notes", "memory"],
  ["Link the decision about JWT to the auth service in memory", "memory"],
  ["What do you know about this project's deployment process from earlier sessions?", "memory"],
  ["Forget the outdated note about the old CI provider", "memory"],
  ["Keep track of the open questions from today's planning session", "memory"],
];

// Written after the first measurement, in a looser style, and never used to tune anything:
// the honest estimate of how discovery does on descriptions it has not been shaped around.
const HELD_OUT: ReadonlyArray<readonly [string, string]> = [
  ["here's a pic of the stack trace from my phone, what's going wrong", "vision"],
  ["can you read the numbers off this bar graph screenshot", "vision"],
  ["the designer sent a PNG of the new settings page; what components does it have?", "vision"],
  ["convert the photographed page of the textbook into markdown", "vision"],
  ["what colors are used in the attached banner image?", "vision"],
  ["what's the recommended way to handle env vars in Vite? check their docs", "docs"],
  ["is there an official guide for setting up ESLint flat config with TypeScript?", "docs"],
  ["compare what the Node 20 and Node 22 docs say about the fetch API", "docs"],
  ["find the spec for the Link HTTP header", "docs"],
  ["write user-facing docs for the new export feature", "docs"],
  ["make the login form show an error message when the password is wrong", "coder"],
  ["there's an off-by-one bug in the pagination helper, please fix", "coder"],
  ["add a CLI command `orchestra doctor` that prints versions", "coder"],
  ["port the bash deploy script to a node script", "coder"],
  ["get the CI green again, the lint step is failing", "coder"],
  ["we need to choose between GraphQL and REST for the mobile API, what do you recommend", "architect"],
  ["look over the auth middleware and tell me if there are any injection risks", "architect"],
  ["sketch a high-level design for offline sync in the app", "architect"],
  ["is our current folder layout going to scale to 20 packages? suggest a structure", "architect"],
  ["do a thorough review of the changes in the feature/payments branch", "architect"],
  ["where do we read the DATABASE_URL env var", "explorer"],
  ["show me every place that calls logger.warn", "explorer"],
  ["what's in the scripts folder", "explorer"],
  ["which components use the useAuth hook", "explorer"],
  ["is there already a helper for formatting currency somewhere?", "explorer"],
  ["note for later: the client wants weekly reports on Mondays", "memory"],
  ["what were the action items from yesterday's standup that I told you about?", "memory"],
  ["add to memory: Alice is the on-call contact for the payments service", "memory"],
  ["did we ever agree on a branching strategy?", "memory"],
  ["update the stored decision about the database: we're moving to MySQL", "memory"],
];

// Inputs that name no task: the top suggestion must come with low confidence.
const VAGUE = [
  "help",
  "do the thing",
  "can you take a look?",
  "make it better",
  "hello",
  "I need something",
  "what do you think?",
  "any ideas?",
];

function measure(set: ReadonlyArray<readonly [string, string]>, name: string): number {
  const misses: string[] = [];
  let hits = 0;
  for (const [task, expected] of set) {
    const top = findProfile(task, BUILTIN_PROFILES, { limit: 1 })[0];
    if (top?.profile.id === expected && top.confidence > 0) hits++;
    else
      misses.push(
        `  ${JSON.stringify(task)}: expected ${expected}, got ${top?.profile.id} (${top?.confidence})`,
      );
  }
  const accuracy = hits / set.length;
  console.log(
    `discovery top-1 accuracy (${name}): ${hits}/${set.length} = ${(accuracy * 100).toFixed(1)}%${misses.length ? `\nmisses:\n${misses.join("\n")}` : ""}`,
  );
  return accuracy;
}

describe("discovery quality on the labelled set", () => {
  it(`ranks the right built-in first for most of ${LABELLED.length} task descriptions`, () => {
    expect(LABELLED.length).toBeGreaterThanOrEqual(60);
    expect(measure(LABELLED, "labelled set")).toBeGreaterThan(0.6);
  });

  it(`does reasonably on ${HELD_OUT.length} held-out descriptions`, () => {
    expect(measure(HELD_OUT, "held-out set")).toBeGreaterThan(0.4);
  });

  it("gives vague input low confidence", () => {
    for (const task of VAGUE) {
      const top = findProfile(task, BUILTIN_PROFILES, { limit: 1 })[0];
      expect(top?.confidence ?? 0, task).toBeLessThan(0.3);
    }
  });
});
