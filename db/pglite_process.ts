/**
 * The embedded database in a process of its own, started by `openPglite`.
 * Each message on standard input is a batch of PostgreSQL protocol messages;
 * each reply on standard output is the backend's raw answer to it, in the
 * order asked. An empty message is answered with an empty reply once the
 * database is open; the end of standard input closes it and ends the process.
 *
 * Usage: `deno run --allow-read=. db/pglite_process.ts [data folder]`
 */
import { startPglite } from "./pglite.ts";
import { FrameReader, writeFrame } from "./pipe_frames.ts";

// Ctrl-C in a terminal, or a service manager stopping the whole group, signals this process too: it keeps
// serving, so the server can still announce its users' leaves as it stops, and ends with the server's pipe.
for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, () => {});

const pglite = await startPglite(Deno.args[0]);
const requests = new FrameReader(Deno.stdin.readable);
const replies = Deno.stdout.writable.getWriter();
for (let request = await requests.read(); request !== null; request = await requests.read()) {
  await writeFrame(replies, request.length === 0 ? request : await pglite.execProtocolRaw(request));
}
await pglite.close();
