/**
 * The run's output: a table on stdout and the full results as JSON in
 * bench/results/, named by the time the run started.
 *
 * @example
 * ```ts
 * console.log(formatReport(rows, environment, options));
 * const path = await writeResults({ environment, options, rows, results }, startedAt);
 * ```
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { IDLE_MS, type MachineCalibration } from "./calibration.ts";
import type { Environment } from "./environment.ts";
import type { BenchOptions } from "./options.ts";
import type { Row } from "./report_rows.ts";
import { TARGET_NAMES } from "./server_process.ts";

const BUSY_WARNING = 0.2;
const RESULTS_DIR = fileURLToPath(new URL("./results/", import.meta.url));

/** Formats the environment and the rows as a plain-text report. */
export function formatReport(rows: Row[], environment: Environment, options: BenchOptions): string {
  const sut = TARGET_NAMES[options.target];
  // The relay columns only when some row has a relay figure (a storm-only run has none).
  const hasBaseline = rows.some((row) => row.baseline !== null);
  const header = ["scenario", "metric", sut, ...(hasBaseline ? ["relay", "ratio"] : []), "target", "met", "note"];
  const table = rows.map((row) => [
    row.scenario,
    row.metric,
    formatValue(row.value, row.unit),
    ...(hasBaseline ? [formatValue(row.baseline, row.unit), row.ratio === null ? "" : `×${row.ratio.toFixed(2)}`] : []),
    row.target,
    row.met === null ? "" : row.met ? "yes" : "NO",
    row.note,
  ]);
  const lines = [
    `Quick Chat benchmark: ${environment.cores} cores (${environment.cpuModel}), ${environment.memoryGiB} GiB, ` +
    environment.os,
    `Deno ${environment.deno} (V8 ${environment.v8}), Node ${environment.node}, ws ${environment.ws}, ` +
    `Quick Chat ${environment.commit}; cores busy before the run: ${percent(environment.busyAtStart)}`,
    formatCalibration(environment.calibration),
    `${options.users} users, ${options.rate} DMs/s for ${options.durationS} s` +
    (options.databaseUrl === undefined ? ", embedded database" : ", PostgreSQL") +
    (options.quick ? " (quick run: targets are set for 2,000 users at 5,000 DMs/s)" : ""),
  ];
  // Other work on the machine competes with the generator and the server for the same few cores.
  if (environment.busyAtStart > BUSY_WARNING) {
    lines.push(
      `Warning: ${percent(environment.busyAtStart)} of the cores were busy before the run started; ` +
        "tail latencies and rates are unreliable (see the scheduler lag rows).",
    );
  }
  lines.push("", ...alignColumns([header, ...table]));
  if (hasBaseline) {
    lines.push("", `ratio = ${sut} ÷ relay: below 1 is better for times and memory, above 1 for rates.`);
  }
  return lines.join("\n");
}

/** Writes the whole run as JSON to bench/results/<timestamp>.json and returns the path. */
export async function writeResults(run: unknown, startedAt: Date): Promise<string> {
  const path = await resultsPath("", "json", startedAt);
  await Deno.writeTextFile(path, JSON.stringify(run, null, 2) + "\n");
  return path;
}

/** A path in bench/results/ named by a time (now unless given) and a prefix, e.g. `timeline-relay-<time>.csv`. */
export async function resultsPath(prefix: string, extension: string, at = new Date()): Promise<string> {
  const dir = await resultsDir();
  const stamp = at.toISOString().replace(/[:.]/g, "-");
  return `${dir}${prefix === "" ? "" : `${prefix}-`}${stamp}.${extension}`;
}

/** bench/results/, made if it is missing. */
export async function resultsDir(): Promise<string> {
  await Deno.mkdir(RESULTS_DIR, { recursive: true });
  return RESULTS_DIR;
}

/** The machine's pace: how long the steps of a join's chain (waking a process, a durable write) take on it. */
export function formatCalibration(calibration: MachineCalibration | null): string {
  if (calibration === null) return "Machine's pace: not measured";
  const us = (value: number) => `${Math.round(value)} µs`;
  return `Machine's pace: loopback round trip ${us(calibration.roundTripUs)}, ` +
    `${us(calibration.roundTripAfterIdleUs)} after ${IDLE_MS} ms idle; fdatasync ${us(calibration.syncUs)}`;
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function formatValue(value: number | null, unit: string): string {
  if (value === null || Number.isNaN(value)) return "–";
  const digits = Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  const number = value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit === "" ? number : `${number} ${unit}`;
}

function alignColumns(table: string[][]): string[] {
  const widths = table[0].map((_, column) => Math.max(...table.map((row) => row[column].length)));
  // Figures read best right-aligned; the first two columns and the last three are words.
  const rightAligned = (column: number) => column >= 2 && column < table[0].length - 3;
  return table.map((row, index) => {
    const cells = row.map((cell, column) =>
      column === row.length - 1
        ? cell
        : rightAligned(column)
        ? cell.padStart(widths[column])
        : cell.padEnd(widths[column])
    );
    const line = cells.join("  ").trimEnd();
    return index === 0 ? `${line}\n${"-".repeat(line.length)}` : line;
  });
}
