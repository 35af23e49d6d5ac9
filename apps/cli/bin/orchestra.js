#!/usr/bin/env node
// The `orchestra` command. A file of its own, present before the build, so package managers can
// link the bin at install time (pnpm skips a bin whose file is missing); the command is dist/main.js.
import "../dist/main.js";
