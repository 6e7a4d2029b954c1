/**
 * The embedded database in a process of its own, started by `openPglite`.
 * Each message on standard input is a batch of PostgreSQL protocol messages;
 * each reply on standard output is the backend's raw answer to it, in the
 * order asked. An empty message is answered with an empty reply once the
 * database is open; the end of standard input closes it and ends the process.
 *
 * The process does nothing but answer, so it reads and writes its pipes
 * synchronously: a statement's bytes reach PGlite as soon as the kernel wakes
 * the thread, with no turn of the event loop between.
 *
 * Usage: `deno run --allow-read=. db/pglite_process.ts [data folder]`
 */
import { startPglite } from "./pglite.ts";
import { readFrameSync, writeFrameSync } from "./pipe_frames.ts";

// Ctrl-C in a terminal, or a service manager stopping the whole group, signals this process too: it keeps
// serving, so the server can still announce its users' leaves as it stops, and ends with the server's pipe.
for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, () => {});

const pglite = await startPglite(Deno.args[0]);
for (let request = readFrameSync(Deno.stdin); request !== null; request = readFrameSync(Deno.stdin)) {
  writeFrameSync(Deno.stdout, request.length === 0 ? request : await pglite.execProtocolRaw(request));
}
await pglite.close();
