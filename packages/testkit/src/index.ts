export { type BenchStats, formatTable, type MeasureOptions, measure, report, summarize } from "./bench.js";
