import { formatReport } from "../doctor/report.js";
import { runDoctor } from "../doctor/run-doctor.js";
import { currentSetup } from "../doctor/setup.js";
import { EXIT } from "../exit.js";

/** The options of `orchestra doctor`. */
export interface DoctorOptions {
  json?: boolean;
  server?: string;
  registry?: string;
}

/** `orchestra doctor`: run every check, print the report (text or JSON), exit 1 when a check fails. */
export async function runDoctorCommand(options: DoctorOptions): Promise<void> {
  const report = await runDoctor(currentSetup(), {
    ...(options.server === undefined ? {} : { server: options.server }),
    ...(options.registry === undefined ? {} : { registry: options.registry }),
    progress: (line) => process.stderr.write(line),
  });
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  process.exitCode = report.ok ? EXIT.ok : EXIT.failure;
}
