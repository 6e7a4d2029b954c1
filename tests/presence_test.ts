import assert from "node:assert/strict";
import { forgetIdleIdentities } from "../db/identities.ts";
import { dbTest, rosterOf, type TestServer } from "./harness.ts";
import { TestSocket } from "./ws_client.ts";

type Presence = { type: "presence"; users: { user_id: string; name: string }[] };
type Diff = { type: "presence_diff"; joins: { user_id: string; name: string }[]; leaves: string[] };

const hasUser = (id: string) => (frame: Record<string, unknown>) =>
  frame.type === "presence" && (frame as Presence).users.some((user) => user.user_id === id);
const lacksUser = (id: string) => (frame: Record<string, unknown>) =>
  frame.type === "presence" && !(frame as Presence).users.some((user) => user.user_id === id);

/** Waits past the grace period (300 ms in tests): the only way to see that a leave does not come. */
const pastGrace = () => new Promise((resolve) => setTimeout(resolve, 700));

dbTest("presence - register returns a token and an HttpOnly cookie, and the user is online", async (server) => {
  const userId = crypto.randomUUID();
  const response = await server.post("/presence/register", { user_id: userId, name: "  Ada  " });
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.equal(body.ok, true);
  assert.equal(body.user_id, userId);
  assert.equal(body.name, "Ada");
  assert.match(body.token, /^[0-9a-f]{32}\.[A-Za-z0-9_-]{43}$/);
  const cookie = response.headers.get("set-cookie")!;
  assert.match(cookie, new RegExp(`^qc_token=${body.token}; `));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.doesNotMatch(cookie, /Secure/, "plain HTTP gets no Secure cookie");
  const watcher = await server.presence({ userId, name: "Ada", token: body.token });
  const [snapshot] = watcher.all("presence") as Presence[];
  assert.deepEqual(snapshot.users, [{ user_id: userId, name: "Ada" }]);
  await watcher.close();
});

dbTest("presence - joins, renames and logouts reach every presence socket", async (server) => {
  const ada = await server.register("Ada");
  const watcher = await server.presence(ada);
  const bob = await server.register("Bob");
  const joined = await watcher.next<Presence>(hasUser(bob.userId));
  assert.deepEqual(rosterOf(joined), [ada.userId, bob.userId].sort());
  await server.register("Robert", bob.userId, bob.token);
  await watcher.next((frame) =>
    frame.type === "presence" && (frame as Presence).users.some((u) => u.user_id === bob.userId && u.name === "Robert")
  );
  const logout = await server.post("/presence/logout", { user_id: bob.userId, name: "Robert" }, {
    cookie: `qc_token=${bob.token}`,
  });
  assert.equal(logout.status, 200);
  const left = await watcher.next<Presence>(lacksUser(bob.userId));
  assert.deepEqual(rosterOf(left), [ada.userId]);
  await watcher.close();
});

dbTest("presence - a user who logged out and reconnects is listed again", async (server) => {
  const ada = await server.register("Ada");
  const watcher = await server.presence(ada);
  const bob = await server.register("Bob");
  const bobSocket = await server.chat(bob);
  await watcher.next(hasUser(bob.userId));
  const logout = await server.post("/presence/logout", { user_id: bob.userId }, { cookie: `qc_token=${bob.token}` });
  assert.equal(logout.status, 200);
  await logout.body?.cancel();
  assert.deepEqual(await bobSocket.closed, { code: 1008, reason: "LOGGED_OUT" });
  await watcher.next(lacksUser(bob.userId));
  // Straight back, within the grace period and without registering: the token still proves who it is.
  const again = await server.chat(bob);
  await watcher.next(hasUser(bob.userId));
  await Promise.all([again.close(), watcher.close()]);
});

dbTest("presence - two tabs of one user count once, and the last close makes them leave", async (server) => {
  const ada = await server.register("Ada");
  const watcher = await server.presence(ada);
  const bob = await server.register("Bob");
  const tab1 = await server.presence(bob);
  const tab2 = await server.chat(bob);
  const roster = await watcher.next<Presence>(hasUser(bob.userId));
  assert.equal(roster.users.filter((user) => user.user_id === bob.userId).length, 1);
  await tab1.close();
  await pastGrace();
  assert.ok(watcher.all("presence").slice(-1).every(hasUser(bob.userId)), "one tab left open keeps Bob online");
  await tab2.close();
  await watcher.next(lacksUser(bob.userId));
  await watcher.close();
});

dbTest("presence - a reload within the grace period causes no leave", async (server) => {
  const ada = await server.register("Ada");
  const watcher = await server.presence(ada);
  const bob = await server.register("Bob");
  const first = await server.presence(bob);
  await watcher.next(hasUser(bob.userId));
  await first.close();
  const reloaded = await server.presence(bob);
  await pastGrace();
  const carol = await server.register("Carol");
  await watcher.next(hasUser(carol.userId));
  const frames = watcher.all("presence") as Presence[];
  assert.ok(frames.every((frame) => frame.users.some((user) => user.user_id === bob.userId) || frame === frames[0]));
  await reloaded.close();
  await watcher.close();
});

dbTest("presence - a registered user who never connects leaves after the grace period", async (server) => {
  const ada = await server.register("Ada");
  const watcher = await server.presence(ada);
  const ghost = await server.register("Ghost");
  await watcher.next(hasUser(ghost.userId));
  await watcher.next(lacksUser(ghost.userId));
  await watcher.close();
});

dbTest("presence - diff mode sends a snapshot, then only joins and leaves", async (server) => {
  const ada = await server.register("Ada");
  const watcher = await server.presence(ada, "diff");
  assert.equal(watcher.all("presence").length, 1);
  const bob = await server.register("Bob");
  const join = await watcher.next<Diff>((frame) => frame.type === "presence_diff");
  assert.deepEqual(join.joins, [{ user_id: bob.userId, name: "Bob" }]);
  assert.deepEqual(join.leaves, []);
  const leave = await watcher.next<Diff>((frame) =>
    frame.type === "presence_diff" && (frame as Diff).leaves.length > 0
  );
  assert.deepEqual(leave.leaves, [bob.userId]);
  assert.equal(watcher.all("presence").length, 1, "no full roster after the first");
  await watcher.close();
});

dbTest("presence - a join storm is coalesced into few frames", async (server) => {
  const ada = await server.register("Ada");
  const watcher = await server.presence(ada, "diff");
  const users = await Promise.all(Array.from({ length: 50 }, (_, i) => server.register(`User ${i}`)));
  const seen = new Set<string>();
  while (seen.size < users.length) {
    const diff = await watcher.next<Diff>((frame) => frame.type === "presence_diff");
    for (const join of diff.joins) seen.add(join.user_id);
  }
  assert.ok(watcher.all("presence_diff").length < 10, `${watcher.all("presence_diff").length} frames for 50 joins`);
  await watcher.close();
});

async function expectBadRequest(server: TestServer, body: unknown, status: number, detail: RegExp, type?: string) {
  const response = await fetch(server.http("/presence/register"), {
    method: "POST",
    headers: { "content-type": type ?? "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  assert.equal(response.status, status, `${JSON.stringify(body)} → ${status}`);
  assert.equal(response.headers.get("content-type"), "application/json");
  const json = await response.json();
  assert.equal(typeof json.error, "string");
  assert.match(json.detail, detail);
}

dbTest("presence - every bad register gets a 4xx with a reason, and the server stays healthy", async (server) => {
  const id = crypto.randomUUID();
  await expectBadRequest(server, "{not json", 400, /not valid JSON/);
  await expectBadRequest(server, "[]", 400, /expected object/);
  await expectBadRequest(server, "null", 400, /expected object/);
  await expectBadRequest(server, {}, 400, /"user_id"/);
  await expectBadRequest(server, { user_id: "not-a-uuid", name: "Ada" }, 400, /"user_id" must be a UUID/);
  await expectBadRequest(server, { user_id: 42, name: "Ada" }, 400, /"user_id"/);
  await expectBadRequest(server, { user_id: id }, 400, /"name"/);
  await expectBadRequest(server, { user_id: id, name: 7 }, 400, /"name"/);
  await expectBadRequest(server, { user_id: id, name: "   " }, 400, /"name" must not be empty/);
  await expectBadRequest(server, { user_id: id, name: "x".repeat(33) }, 400, /at most 32 characters/);
  await expectBadRequest(server, { user_id: id, name: "bell\u0007" }, 400, /control characters/);
  // JSON can carry half of a surrogate pair; the database's JSON cannot.
  await expectBadRequest(server, { user_id: id, name: "Ada\ud800" }, 400, /"name" must be well-formed Unicode/);
  await expectBadRequest(server, { user_id: id, name: "Ada" }, 415, /application\/json/, "text/plain");
  await expectBadRequest(server, { user_id: id, name: "A".repeat(10_000) }, 413, /limited to 4096 bytes/);
  // A body of undeclared length (chunked) is cut off at the limit too.
  const chunked = await fetch(server.http("/presence/register"), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: ReadableStream.from([new TextEncoder().encode(`{"user_id":"${id}","name":"`), new Uint8Array(8000)]),
  });
  assert.equal(chunked.status, 413);
  assert.match((await chunked.json()).detail, /limited to 4096 bytes/);
  const wrongMethod = await fetch(server.http("/presence/register"));
  assert.equal(wrongMethod.status, 405);
  await wrongMethod.body?.cancel();
  const health = await fetch(server.http("/health"));
  assert.equal(health.status, 200);
  assert.deepEqual((await health.json()).database, { kind: server.kind, ok: true });
});

dbTest("presence - without the token nobody can register, log out or listen as someone else", async (server) => {
  const ada = await server.register("Ada");
  const stolen = await server.post("/presence/register", { user_id: ada.userId, name: "Mallory" });
  assert.equal(stolen.status, 401);
  assert.equal((await stolen.json()).error, "UNAUTHORIZED");
  const forged = await server.post("/presence/register", { user_id: ada.userId, name: "Mallory" }, {
    cookie: `qc_token=${"A".repeat(43)}`,
  });
  assert.equal(forged.status, 401);
  await forged.body?.cancel();
  const other = await server.register("Eve");
  const borrowed = await server.post("/presence/logout", { user_id: ada.userId }, {
    cookie: `qc_token=${other.token}`,
  });
  assert.equal(borrowed.status, 401);
  await borrowed.body?.cancel();
  for (const path of [`/presence/ws?user_id=${ada.userId}`, `/ws/chat?me=${ada.userId}&token=${other.token}`]) {
    const socket = new TestSocket(server.ws(path));
    const error = await socket.next((frame) => frame.type === "error");
    assert.equal(error.code, "UNAUTHORIZED");
    assert.equal((await socket.closed).code, 1008);
    assert.deepEqual(socket.all("presence"), [], "nothing of the user's reaches the socket");
  }
  const watcher = await server.presence(ada);
  assert.ok((watcher.all("presence")[0] as Presence).users.every((user) => user.name !== "Mallory"));
  await watcher.close();
});

dbTest("presence - once a forgotten id is bound again, its earlier token proves nothing", async (server) => {
  const ada = await server.register("Ada");
  const loggedOut = await server.post("/presence/logout", { user_id: ada.userId }, { cookie: `qc_token=${ada.token}` });
  assert.equal(loggedOut.status, 200);
  await loggedOut.body?.cancel();
  // Unseen for longer than identities are kept, and forgotten, so that the id is free again.
  const { db } = server.server.state;
  await db.query("UPDATE identities SET last_seen = NOW() - interval '31 days' WHERE user_id = $1", [ada.userId]);
  assert.equal(await forgetIdleIdentities(db, 30), 1);

  const eve = await server.register("Eve", ada.userId);
  assert.notEqual(eve.token, ada.token);
  const reclaim = await server.post("/presence/register", { user_id: ada.userId, name: "Ada" }, {
    cookie: `qc_token=${ada.token}`,
  });
  assert.equal(reclaim.status, 401);
  assert.equal((await reclaim.json()).error, "UNAUTHORIZED");
  const logout = await server.post("/presence/logout", { user_id: ada.userId }, { cookie: `qc_token=${ada.token}` });
  assert.equal(logout.status, 401);
  await logout.body?.cancel();
  const socket = new TestSocket(server.ws(`/ws/chat?me=${ada.userId}&token=${ada.token}`));
  assert.equal((await socket.next((frame) => frame.type === "error")).code, "UNAUTHORIZED");
  assert.equal((await socket.closed).code, 1008);
  const watcher = await server.presence(eve);
  assert.deepEqual((watcher.all("presence")[0] as Presence).users, [{ user_id: ada.userId, name: "Eve" }]);
  await watcher.close();
});

dbTest("presence - a foreign Origin is refused, the own and allowed ones are not", async (server) => {
  const ada = await server.register("Ada");
  const path = `/presence/ws?user_id=${ada.userId}&token=${ada.token}`;
  const foreign = await fetch(server.http(path), {
    headers: {
      upgrade: "websocket",
      connection: "Upgrade",
      origin: "https://evil.example",
      "sec-websocket-version": "13",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
    },
  });
  assert.equal(foreign.status, 403);
  assert.equal((await foreign.json()).error, "FORBIDDEN_ORIGIN");
  const refused = new TestSocket(server.ws(path), { origin: "https://evil.example" });
  await assert.rejects(refused.opened);
  const own = new TestSocket(server.ws(path), { origin: new URL(server.http("/")).origin });
  await own.next((frame) => frame.type === "presence");
  await own.close();
  const allowed = new TestSocket(server.ws(path), { origin: "https://app.example" });
  await allowed.next((frame) => frame.type === "presence");
  await allowed.close();
}, { ALLOWED_ORIGINS: "https://app.example" });
