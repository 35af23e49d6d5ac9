#!/usr/bin/env node
// A committed entry point, so pnpm can link the bin before the first build.
import "../dist/cli.js";
