/**
 * Other processes as `/proc` shows them: nothing tells a process of another's
 * children, nor of the end of a process it did not start.
 */
import { waitUntil } from "./wait_until.ts";

/** The process ids of a process's children. */
export async function childrenOf(pid: number): Promise<number[]> {
  const children: number[] = [];
  for await (const task of Deno.readDir(`/proc/${pid}/task`)) {
    const listed = await Deno.readTextFile(`/proc/${pid}/task/${task.name}/children`);
    children.push(...listed.split(/\s+/).filter(Boolean).map(Number));
  }
  return children;
}

/** The children of a process that run the embedded database (`pglite_process.ts`). */
export async function databaseProcessesOf(pid: number): Promise<number[]> {
  const found: number[] = [];
  for (const child of await childrenOf(pid)) {
    const command = await Deno.readTextFile(`/proc/${child}/cmdline`).catch(() => "");
    if (command.includes("pglite_process.ts")) found.push(child);
  }
  return found;
}

/** Whether a process still runs (a zombie, exited but not reaped, does not). */
export async function running(pid: number): Promise<boolean> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`).catch(() => null);
  return status !== null && !/^State:\s+Z/m.test(status);
}

/** Resolves once a process has ended. */
export const ended = (pid: number): Promise<number> =>
  waitUntil(`process ${pid} to end`, async () => !await running(pid));
