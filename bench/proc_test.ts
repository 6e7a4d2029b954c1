import assert from "node:assert/strict";
import { CpuMeter, cpuSeconds } from "./proc.ts";

Deno.test("proc - a CPU meter counts the time a process spent working, in seconds and as a share", () => {
  const meter = new CpuMeter({ self: Deno.pid });
  const start = cpuSeconds(Deno.pid);
  // Work until the kernel's counters (10 ms ticks) show at least 50 ms of it.
  let spin = 0;
  while (cpuSeconds(Deno.pid) - start < 0.05) spin += Math.sqrt(spin + 1);
  const used = meter.seconds().self;
  const worked = cpuSeconds(Deno.pid) - start;
  // The meter started a moment before `start` was read: at most a tick or two more.
  assert.ok(used >= 0.05 && used <= worked + 0.02, `counted ${used} s of CPU for ${worked} s of work`);
  const share = meter.read().self;
  assert.ok(share > 0 && share <= 100 * navigator.hardwareConcurrency, `share ${share}%`);
});
