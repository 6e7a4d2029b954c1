/**
 * The machine and software a run measured, so figures from different
 * machines or versions are never compared by mistake.
 *
 * @example
 * ```ts
 * const load = { busyAtStart: await machineBusyShare(), loadAtStart: Deno.loadavg() };
 * const environment = await describeEnvironment(load, await measureCalibration(Deno.cwd()));
 * console.log(environment.cores, environment.deno);
 * ```
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import type { MachineCalibration } from "./calibration.ts";
import { baselineWsVersion } from "./server_process.ts";

const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Where and with what a run was made. */
export interface Environment {
  /** `navigator.hardwareConcurrency`: the generator and the servers share these cores. */
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  deno: string;
  v8: string;
  typescript: string;
  node: string;
  /** The relay's `ws` version. */
  ws: string;
  /** Quick Chat's commit, with `+dirty` when the work tree has changes. */
  commit: string;
  /** Share of all cores busy in the second before the run (0–1): other work on the machine moves the tails. */
  busyAtStart: number;
  /** 1-, 5- and 15-minute load averages when the run started. */
  loadAtStart: number[];
  /** The machine's pace before the run; `null` when it could not be measured. */
  calibration: MachineCalibration | null;
}

/** What the machine was doing just before the run. */
export interface MachineLoad {
  busyAtStart: number;
  loadAtStart: number[];
}

/** Describes this machine and the versions in use, with its load measured before the run. */
export async function describeEnvironment(
  load: MachineLoad,
  calibration: MachineCalibration | null,
): Promise<Environment> {
  const cpuinfo = readOr("/proc/cpuinfo", "");
  const cpuModel = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? "unknown";
  return {
    cores: navigator.hardwareConcurrency,
    cpuModel,
    memoryGiB: Math.round(Deno.systemMemoryInfo().total / 2 ** 30),
    os: `${Deno.build.os} ${Deno.osRelease()}`,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
    node: (await run("node", ["--version"])).replace(/^v/, ""),
    ws: tryOr(baselineWsVersion, "not installed"),
    commit: await commit(),
    ...load,
    calibration,
  };
}

async function commit(): Promise<string> {
  const head = await run("git", ["rev-parse", "--short", "HEAD"]);
  const status = await run("git", ["status", "--porcelain"]);
  return head === "" ? "unknown" : status === "" ? head : `${head}+dirty`;
}

async function run(command: string, args: string[]): Promise<string> {
  try {
    const options = { args, cwd: REPO_ROOT, stdout: "piped", stderr: "null" } as const;
    const { stdout } = await new Deno.Command(command, options).output();
    return new TextDecoder().decode(stdout).trim();
  } catch {
    return "";
  }
}

function readOr(path: string, fallback: string): string {
  return tryOr(() => Deno.readTextFileSync(path), fallback);
}

function tryOr<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}
