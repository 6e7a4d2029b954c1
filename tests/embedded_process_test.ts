/**
 * The embedded database's process beside a server started as `deno task
 * start` starts it: how the two end together, and what clients see when the
 * database's process is gone.
 */
import assert from "node:assert/strict";
import { databaseProcessesOf, ended, running } from "./processes.ts";
import { ServerProcess } from "./server_process.ts";
import { waitUntil } from "./wait_until.ts";
import { TestSocket } from "./ws_client.ts";

/** The server's database process: its one child that runs `pglite_process.ts`. */
async function databaseProcessOf(server: ServerProcess): Promise<number> {
  const found = await databaseProcessesOf(server.child.pid);
  assert.equal(found.length, 1, "one database process");
  return found[0];
}

const register = (server: ServerProcess, name: string) =>
  fetch(new URL("/presence/register", server.url), {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url.origin },
    body: JSON.stringify({ user_id: crypto.randomUUID(), name }),
  });

/**
 * Runs `scenario` on a server where Ada has a chat socket and Carol watches
 * the roster (diff mode) from a presence socket, right after the server's
 * database process was killed.
 */
async function afterTheDatabaseIsKilled(
  scenario: (
    server: ServerProcess,
    people: { ada: { user_id: string; token: string }; adaChat: TestSocket; watcher: TestSocket },
  ) => Promise<void>,
): Promise<void> {
  const server = await ServerProcess.start({});
  const sockets: TestSocket[] = [];
  const open = async (path: string) => {
    const socket = new TestSocket(new URL(path, server.url.href.replace("http", "ws")));
    sockets.push(socket);
    await socket.opened;
    return socket;
  };
  try {
    const ada = await (await register(server, "Ada")).json();
    const carol = await (await register(server, "Carol")).json();
    const adaChat = await open(`/ws/chat?me=${ada.user_id}&token=${ada.token}`);
    const watcher = await open(`/presence/ws?user_id=${carol.user_id}&token=${carol.token}&mode=diff`);
    await watcher.next((frame) => frame.type === "presence");
    const database = await databaseProcessOf(server);
    Deno.kill(database, "SIGKILL");
    await ended(database);
    await scenario(server, { ada, adaChat, watcher });
  } finally {
    sockets.forEach((socket) => socket.socket.close());
    await server.stop();
  }
}

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

Deno.test("embedded process - while its database's process starts again the server answers 503 with a reason; then everyone is back", async () => {
  await afterTheDatabaseIsKilled(async (server, { ada, adaChat, watcher }) => {
    const page = await fetch(server.url);
    await page.body?.cancel();
    assert.equal(page.status, 200, "the page renders meanwhile");
    // Until a new process serves, registrations are refused as an outage, with its reason; then they succeed.
    let bob: { user_id: string; name: string } | undefined;
    let refused = 0;
    const outageMs = await waitUntil("a registration to succeed again", async () => {
      const response = await register(server, "Bob");
      const body = await response.json();
      if (response.status === 200) bob = body;
      else assert.deepEqual([response.status, body.error], [503, "DATABASE_UNAVAILABLE"]);
      refused += response.status === 503 ? 1 : 0;
      return bob !== undefined;
    }, { timeoutMs: 20_000 });
    console.log(`registrations refused for ${Math.round(outageMs)} ms after the process ended (${refused} times)`);
    assert.ok(refused > 0, "refused while no database served");
    // Having given up the permission to start programs, the server now runs the database itself.
    const [exited, restarted] = [/"database\.process_exited"/, /"database\.restarted".*"placement":"inline"/]
      .map((pattern) => server.lines.findIndex((line) => pattern.test(line)));
    assert.ok(exited >= 0 && restarted > exited, "the server says what happened");
    assert.deepEqual(await databaseProcessesOf(server.child.pid), []);
    const health = await fetch(new URL("/health", server.url));
    assert.equal(health.status, 200);
    assert.equal((await health.json()).database.ok, true);

    // Carol, who kept her socket, hears of Bob; the new tables learn at once who is connected here.
    await watcher.next((frame) => frame.type === "presence_diff" && JSON.stringify(frame.joins).includes(bob!.user_id));
    await waitUntil(
      "the instance to be written back",
      () => server.lines.some((line) => /instance\.revived/.test(line)),
    );
    // So Ada, who was connected all along, is seen to leave when she does.
    adaChat.socket.close();
    await watcher.next((frame) => frame.type === "presence_diff" && (frame.leaves as string[]).includes(ada.user_id));
    // And coming back with the token of her last visit, she is herself again.
    const back = await fetch(new URL("/presence/register", server.url), {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url.origin, cookie: `qc_token=${ada.token}` },
      body: JSON.stringify({ user_id: ada.user_id, name: "Ada" }),
    });
    assert.equal(back.status, 200, await back.clone().text());
    assert.equal((await back.json()).user_id, ada.user_id);
  });
});

Deno.test("embedded process - someone who leaves while the database is down is seen to leave once it is back", async () => {
  await afterTheDatabaseIsKilled(async (server, { ada, adaChat, watcher }) => {
    adaChat.socket.close();
    await waitUntil("the database to be back", async () => {
      const response = await fetch(new URL("/health", server.url));
      await response.body?.cancel();
      return response.status === 200;
    }, { timeoutMs: 20_000 });
    await watcher.next(
      (frame) => frame.type === "presence_diff" && (frame.leaves as string[]).includes(ada.user_id),
      10_000,
    );
  });
});
