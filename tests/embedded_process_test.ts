/**
 * The embedded database's process beside a server started as `deno task
 * start` starts it: how the two end together, and what clients see when the
 * database's process is gone.
 */
import assert from "node:assert/strict";
import { ServerProcess } from "./server_process.ts";
import { waitUntil } from "./wait_until.ts";

/** The process ids of a process's children, from `/proc`. */
async function childrenOf(pid: number): Promise<number[]> {
  const children: number[] = [];
  for await (const task of Deno.readDir(`/proc/${pid}/task`)) {
    const listed = await Deno.readTextFile(`/proc/${pid}/task/${task.name}/children`);
    children.push(...listed.split(/\s+/).filter(Boolean).map(Number));
  }
  return children;
}

/** The server's database process: its one child that runs `pglite_process.ts`. */
async function databaseProcessOf(server: ServerProcess): Promise<number> {
  const found: number[] = [];
  for (const pid of await childrenOf(server.child.pid)) {
    const command = await Deno.readTextFile(`/proc/${pid}/cmdline`).catch(() => "");
    if (command.includes("pglite_process.ts")) found.push(pid);
  }
  assert.equal(found.length, 1, "one database process");
  return found[0];
}

/** Whether a process still runs (a zombie, exited but not reaped, does not). */
async function running(pid: number): Promise<boolean> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`).catch(() => null);
  return status !== null && !/^State:\s+Z/m.test(status);
}

/** Resolves once a process that is not ours has ended: nothing tells another process of that. */
const ended = (pid: number) => waitUntil(`process ${pid} to end`, async () => !await running(pid));

const register = (server: ServerProcess, name: string) =>
  fetch(new URL("/presence/register", server.url), {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url.origin },
    body: JSON.stringify({ user_id: crypto.randomUUID(), name }),
  });

Deno.test("embedded process - a server killed outright takes its database's process with it", async () => {
  const server = await ServerProcess.start({});
  const database = await databaseProcessOf(server);
  assert.ok(await running(database));
  await server.stop("SIGKILL");
  await ended(database);
});

Deno.test("embedded process - Ctrl-C stops the server cleanly: its database serves the shutdown, then ends", async () => {
  const server = await ServerProcess.start({});
  const database = await databaseProcessOf(server);
  const ada = await register(server, "Ada");
  assert.equal(ada.status, 200, await ada.text());
  // A terminal's Ctrl-C signals the whole process group: the database's process too.
  Deno.kill(database, "SIGINT");
  const status = await server.stop("SIGINT");
  assert.equal(status.code, 0, server.lines.join("\n"));
  const complaints = server.lines.filter((line) => /"level":"(warn|error)"/.test(line));
  assert.deepEqual(complaints, [], "no statement of the shutdown failed");
  await ended(database);
});

Deno.test("embedded process - without its database's process the server answers 503 with a reason, and keeps serving", async () => {
  const server = await ServerProcess.start({});
  try {
    const database = await databaseProcessOf(server);
    Deno.kill(database, "SIGKILL");
    await ended(database);
    const refused = await register(server, "Ada");
    assert.equal(refused.status, 503);
    assert.equal((await refused.json()).error, "DATABASE_UNAVAILABLE");
    const health = await fetch(new URL("/health", server.url));
    assert.equal(health.status, 503);
    assert.equal((await health.json()).database.ok, false);
    const page = await fetch(server.url);
    await page.body?.cancel();
    assert.equal(page.status, 200, "the page still renders");
    assert.ok(server.lines.some((line) => line.includes('"database.process_exited"')), "the server says why");
  } finally {
    await server.stop();
  }
});
