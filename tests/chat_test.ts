import assert from "node:assert/strict";
import { dbTest, type TestServer, type TestUser } from "./harness.ts";
import { TestSocket } from "./ws_client.ts";

const isType = (type: string) => (frame: Record<string, unknown>) => frame.type === type;
const isError = (code: string) => (frame: Record<string, unknown>) => frame.type === "error" && frame.code === code;

async function pair(server: TestServer): Promise<[TestUser, TestSocket, TestUser, TestSocket]> {
  const ada = await server.register("Ada");
  const bob = await server.register("Bob");
  return [ada, await server.chat(ada), bob, await server.chat(bob)];
}

dbTest("chat - a dm is echoed to the sender and delivered to the peer in the seed's shape", async (server) => {
  const [ada, adaSocket, bob, bobSocket] = await pair(server);
  const before = Date.now();
  adaSocket.send({ type: "dm", to: bob.userId, text: "hello <b>Bob</b>" });
  const echo = await adaSocket.next(isType("dm"));
  const delivered = await bobSocket.next(isType("dm"));
  assert.deepEqual(Object.keys(delivered).sort(), ["from", "text", "timestamp", "to", "type"]);
  assert.deepEqual(delivered, echo);
  assert.equal(delivered.from, ada.userId);
  assert.equal(delivered.to, bob.userId);
  assert.equal(delivered.text, "hello <b>Bob</b>");
  assert.ok(
    typeof delivered.timestamp === "number" && delivered.timestamp >= before && delivered.timestamp <= Date.now(),
  );
  bobSocket.send({ type: "dm", to: ada.userId, text: "hi Ada", id: "b-1" });
  const reply = await adaSocket.next(isType("dm"));
  assert.equal(reply.text, "hi Ada");
  assert.equal(reply.id, "b-1");
  await Promise.all([adaSocket.close(), bobSocket.close()]);
});

dbTest("chat - every tab of the peer gets the dm, and the sender's other tabs get the echo", async (server) => {
  const [ada, ada1, bob, bob1] = await pair(server);
  const ada2 = await server.chat(ada);
  const bob2 = await server.chat(bob);
  ada1.send({ type: "dm", to: bob.userId, text: "to all tabs", id: "m1" });
  for (const socket of [ada1, ada2, bob1, bob2]) {
    const frame = await socket.next(isType("dm"));
    assert.equal(frame.text, "to all tabs");
  }
  await Promise.all([ada1, ada2, bob1, bob2].map((socket) => socket.close()));
});

dbTest("chat - self-chat, offline peers and bad frames get their error and the socket stays open", async (server) => {
  const [ada, adaSocket, bob, bobSocket] = await pair(server);
  adaSocket.send({ type: "dm", to: ada.userId, text: "me", id: "self" });
  assert.deepEqual(await adaSocket.next(isType("error")), {
    type: "error",
    code: "SELF_CHAT_BLOCKED",
    detail: "You cannot message yourself",
    id: "self",
  });
  const carol = await server.register("Carol");
  const carolPresence = await server.presence(carol);
  adaSocket.send({ type: "dm", to: carol.userId, text: "are you there?" });
  assert.deepEqual(await adaSocket.next(isType("error")), {
    type: "error",
    code: "PEER_OFFLINE",
    detail: "User is offline",
  });
  adaSocket.send({ type: "dm", to: crypto.randomUUID(), text: "nobody" });
  assert.equal((await adaSocket.next(isType("error"))).code, "PEER_OFFLINE");
  const bad: [unknown, RegExp][] = [
    ["not json", /not valid JSON/],
    ["[1,2]", /expected object/],
    ['"text"', /expected object/],
    [{ type: "shout", to: bob.userId }, /"type"/],
    [{ type: "dm", text: "no recipient" }, /"to"/],
    [{ type: "dm", to: "bob", text: "x" }, /"to" must be a UUID/],
    [{ type: "dm", to: bob.userId }, /"text"/],
    [{ type: "dm", to: bob.userId, text: 5 }, /"text"/],
    [{ type: "dm", to: bob.userId, text: "   " }, /"text" must not be empty/],
    [{ type: "dm", to: bob.userId, text: "bell\u0007" }, /control characters/],
    [{ type: "dm", to: bob.userId, text: "x", id: 12 }, /"id"/],
  ];
  for (const [frame, detail] of bad) {
    adaSocket.send(frame);
    const error = await adaSocket.next(isType("error"));
    assert.equal(error.code, "INVALID_PAYLOAD", JSON.stringify(frame));
    assert.match(error.detail as string, detail, JSON.stringify(frame));
  }
  adaSocket.socket.send(new Uint8Array([1, 2, 3]));
  assert.match((await adaSocket.next(isError("INVALID_PAYLOAD"))).detail as string, /not binary/);
  adaSocket.send({ type: "dm", to: bob.userId, text: "still here" });
  assert.equal((await bobSocket.next(isType("dm"))).text, "still here");
  assert.deepEqual(bobSocket.all("error"), []);
  await Promise.all([adaSocket.close(), bobSocket.close(), carolPresence.close()]);
});

dbTest("chat - an over-long text is refused, an over-large frame closes the socket with 1009", async (server) => {
  const [, adaSocket, bob, bobSocket] = await pair(server);
  adaSocket.send({ type: "dm", to: bob.userId, text: "x".repeat(2001), id: "long" });
  const tooLong = await adaSocket.next(isType("error"));
  assert.equal(tooLong.code, "MESSAGE_TOO_LARGE");
  assert.equal(tooLong.id, "long");
  adaSocket.send({ type: "dm", to: bob.userId, text: "é".repeat(2000) });
  assert.equal((await bobSocket.next(isType("dm"))).text, "é".repeat(2000));
  adaSocket.send({ type: "dm", to: bob.userId, text: "x".repeat(17 * 1024) });
  assert.equal((await adaSocket.next(isType("error"))).code, "MESSAGE_TOO_LARGE");
  assert.equal((await adaSocket.closed).code, 1009);
  const binary = await server.chat(await server.register("Bin"));
  binary.socket.send(new Uint8Array(17 * 1024));
  assert.equal((await binary.next(isType("error"))).code, "MESSAGE_TOO_LARGE");
  assert.equal((await binary.closed).code, 1009, "binary frames have the same limit");
  assert.equal(bobSocket.all("dm").length, 1);
  await bobSocket.close();
});

dbTest("chat - a dm too large to cross instances is refused on every instance alike", async (server) => {
  const [, adaSocket, bob, bobSocket] = await pair(server);
  // At the longest text allowed, an id of escaped control characters takes the frame past 7,999 bytes.
  const text = "€".repeat(2550);
  adaSocket.send({ type: "dm", to: bob.userId, text, id: "\u0001".repeat(64) });
  const refused = await adaSocket.next(isType("error"));
  assert.equal(refused.code, "MESSAGE_TOO_LARGE");
  assert.equal(refused.id, "\u0001".repeat(64));
  adaSocket.send({ type: "dm", to: bob.userId, text, id: "fits" });
  assert.equal((await bobSocket.next(isType("dm"))).id, "fits");
  assert.equal(bobSocket.all("dm").length, 1);
  await bobSocket.close();
}, { MESSAGE_MAX_CHARS: "2550" });

dbTest("chat - frames over the rate limit are refused, and sustained abuse closes with 1008", async (server) => {
  const [, adaSocket, bob, bobSocket] = await pair(server);
  for (let i = 0; i < 8; i++) {
    // One with a line break and quotes, as a client writes a message of two lines.
    const text = i === 6 ? `burst "${i}",\n"id":"b0"}` : `burst ${i}`;
    const dm = { type: "dm", to: bob.userId, text, id: `b${i}` };
    // Keys in another order for one of them: its refusal stays cheap and does not parse it for the id.
    adaSocket.send(i === 5 ? { id: dm.id, text: dm.text, to: dm.to, type: dm.type } : dm);
  }
  const limited = await adaSocket.next(isError("RATE_LIMITED"));
  assert.match(limited.detail as string, /at most 2 frames per second/);
  assert.equal(limited.id, "b4", "the refusal names the dm it refused, so its sender can send it again");
  assert.equal((await adaSocket.next(isError("RATE_LIMITED"))).id, undefined);
  assert.equal((await adaSocket.next(isError("RATE_LIMITED"))).id, "b6", "escapes in the text do not hide the id");
  assert.equal(adaSocket.all("dm").length, 4, "the burst of 4 passed");
  for (let i = 0; i < 10; i++) adaSocket.send({ type: "typing", to: bob.userId, state: "start" });
  const closed = await adaSocket.closed;
  assert.equal(closed.code, 1008);
  assert.equal(closed.reason, "RATE_LIMITED");
  await bobSocket.close();
}, { RATE_LIMIT_PER_SEC: "2", RATE_LIMIT_BURST: "4" });

dbTest("chat - binary frames count against the rate limit like any other", async (server) => {
  const ada = await server.register("Ada");
  const adaSocket = await server.chat(ada);
  // A burst of 4 is answered, 3 are refused, and the 4th refusal in a row closes the socket.
  for (let i = 0; i < 8; i++) adaSocket.socket.send(new Uint8Array([i]));
  await adaSocket.next(isError("RATE_LIMITED"));
  const closed = await adaSocket.closed;
  assert.deepEqual(adaSocket.all("error").map((frame) => frame.code), [
    ...Array(4).fill("INVALID_PAYLOAD"),
    ...Array(3).fill("RATE_LIMITED"),
  ]);
  assert.equal(closed.code, 1008);
  assert.equal(closed.reason, "RATE_LIMITED");
}, { RATE_LIMIT_PER_SEC: "2", RATE_LIMIT_BURST: "4" });

dbTest("chat - a user may hold at most the configured number of sockets", async (server) => {
  const ada = await server.register("Ada");
  const open = [await server.chat(ada), await server.presence(ada), await server.chat(ada)];
  const extra = new TestSocket(server.ws(`/ws/chat?me=${ada.userId}&token=${ada.token}`));
  assert.equal((await extra.next(isType("error"))).code, "TOO_MANY_CONNECTIONS");
  assert.equal((await extra.closed).code, 1008);
  await open[0].close();
  const again = await server.chat(ada);
  await Promise.all([again, ...open.slice(1)].map((socket) => socket.close()));
}, { MAX_SOCKETS_PER_USER: "3" });

dbTest("chat - a repeated id is acknowledged again but delivered once", async (server) => {
  const [, adaSocket, bob, bobSocket] = await pair(server);
  const frame = { type: "dm", to: bob.userId, text: "once", id: "retry-1" };
  adaSocket.send(frame);
  const first = await adaSocket.next(isType("dm"));
  adaSocket.send(frame);
  const second = await adaSocket.next(isType("dm"));
  assert.deepEqual(second, first, "the same acknowledgement, timestamp included");
  adaSocket.send({ type: "dm", to: bob.userId, text: "next", id: "retry-2" });
  await bobSocket.next((f) => f.type === "dm" && f.id === "retry-2");
  assert.deepEqual(bobSocket.all("dm").map((f) => f.id), ["retry-1", "retry-2"]);
  await Promise.all([adaSocket.close(), bobSocket.close()]);
});

dbTest("chat - typing and read events reach the peer and never come back as errors", async (server) => {
  const [ada, adaSocket, bob, bobSocket] = await pair(server);
  const bobTab2 = await server.chat(bob);
  adaSocket.send({ type: "typing", to: bob.userId, state: "start" });
  assert.deepEqual(await bobSocket.next(isType("typing")), {
    type: "typing",
    from: ada.userId,
    to: bob.userId,
    state: "start",
  });
  bobSocket.send({ type: "read", to: ada.userId, id: "m-7" });
  assert.deepEqual(await adaSocket.next(isType("read")), { type: "read", from: bob.userId, to: ada.userId, id: "m-7" });
  assert.equal((await bobTab2.next(isType("read"))).id, "m-7", "the reader's other tab learns it too");
  const offline = await server.register("Offline");
  adaSocket.send({ type: "typing", to: offline.userId, state: "stop" });
  adaSocket.send({ type: "read", to: offline.userId, id: "x" });
  adaSocket.send({ type: "ping" });
  await adaSocket.next(isType("pong"));
  assert.deepEqual(adaSocket.all("error"), []);
  assert.deepEqual(adaSocket.all("typing"), [], "typing is not echoed");
  await Promise.all([adaSocket.close(), bobSocket.close(), bobTab2.close()]);
});

dbTest("chat - a socket with a bad or missing user id or a broken handshake is refused with 400", async (server) => {
  for (const query of ["", "?me=", "?me=not-a-uuid"]) {
    const response = await fetch(server.http(`/ws/chat${query}`), {
      headers: {
        upgrade: "websocket",
        connection: "Upgrade",
        "sec-websocket-version": "13",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      },
    });
    assert.equal(response.status, 400, query);
    assert.match((await response.json()).detail, /"me" must be a UUID/);
  }
  const plain = await fetch(server.http("/ws/chat?me=" + crypto.randomUUID()));
  assert.equal(plain.status, 426);
  await plain.body?.cancel();
  // A broken handshake (no key) or a token cookie that is not even an escape is the client's fault: 400, 401.
  const me = crypto.randomUUID();
  const keyless = await fetch(server.http(`/ws/chat?me=${me}`), {
    headers: { upgrade: "websocket", connection: "Upgrade", "sec-websocket-version": "13" },
  });
  assert.equal(keyless.status, 400);
  assert.match((await keyless.json()).detail, /Not a valid WebSocket handshake/);
  const badCookie = await fetch(server.http("/presence/logout"), {
    method: "POST",
    headers: { "content-type": "application/json", cookie: "qc_token=%" },
    body: JSON.stringify({ user_id: me }),
  });
  assert.equal(badCookie.status, 401);
  await badCookie.body?.cancel();
});

dbTest("chat - 1,000 malformed frames each get INVALID_PAYLOAD and the server stays healthy", async (server) => {
  const [ada, adaSocket, bob, bobSocket] = await pair(server);
  const kinds = [
    () => "{",
    () => "null",
    () => "42",
    () => JSON.stringify([{ type: "dm" }]),
    () => JSON.stringify({ type: "dm", to: bob.userId, text: null }),
    () => JSON.stringify({ type: "dm", to: bob.userId.slice(1), text: "x" }),
    () => JSON.stringify({ type: "typing", to: bob.userId, state: "maybe" }),
    () => JSON.stringify({ type: "read", to: bob.userId }),
    () => JSON.stringify({ type: "DM", to: bob.userId, text: "x" }),
    () => JSON.stringify({ type: "dm", to: bob.userId, text: "x", id: "" }),
    () => JSON.stringify({ type: "dm", to: bob.userId, text: "x", id: "i".repeat(65) }),
    () => JSON.stringify({ type: "dm", to: [bob.userId], text: "x" }),
    () => JSON.stringify({ type: "dm", to: bob.userId, text: "\u0000" }),
    () => JSON.stringify({ type: "dm", to: bob.userId, text: "\ud800" }),
    () => JSON.stringify({ __proto__: { type: "dm" }, to: bob.userId, text: "x" }),
  ];
  for (let i = 0; i < 1000; i++) adaSocket.send(kinds[i % kinds.length]());
  for (let i = 0; i < 1000; i++) {
    const frame = await adaSocket.next(isType("error"));
    assert.equal(frame.code, "INVALID_PAYLOAD", `frame ${i}: ${kinds[i % kinds.length]()}`);
  }
  assert.deepEqual(bobSocket.all("dm"), []);
  const health = await fetch(server.http("/health"));
  assert.equal(health.status, 200);
  await health.body?.cancel();
  adaSocket.send({ type: "dm", to: bob.userId, text: "after the storm" });
  assert.equal((await bobSocket.next(isType("dm"))).from, ada.userId);
  await Promise.all([adaSocket.close(), bobSocket.close()]);
}, { RATE_LIMIT_PER_SEC: "100000", RATE_LIMIT_BURST: "100000" });
