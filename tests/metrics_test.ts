import assert from "node:assert/strict";
import { dbTest, type TestServer } from "./harness.ts";
import { TestSocket } from "./ws_client.ts";

/** Samples by series (`name{labels}`), from a Prometheus text exposition that must be well-formed. */
function parseExposition(text: string): Map<string, number> {
  assert.ok(text.endsWith("\n"), "the exposition ends with a line feed");
  const samples = new Map<string, number>();
  const typed = new Map<string, string>();
  for (const line of text.slice(0, -1).split("\n")) {
    const comment = line.match(/^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/);
    if (comment) {
      if (comment[1] === "TYPE") {
        assert.match(comment[3], /^(counter|gauge)$/, line);
        typed.set(comment[2], comment[3]);
      }
      continue;
    }
    const sample = line.match(
      /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-z_]+="[^"]*"(?:,[a-z_]+="[^"]*")*\})? (-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/,
    );
    assert.ok(sample, `a well-formed sample: ${JSON.stringify(line)}`);
    const [, name, labels = "", value] = sample;
    assert.ok(typed.has(name), `${name} has a # TYPE line before its samples`);
    if (typed.get(name) === "counter") assert.match(name, /_total$/, `counter ${name} ends in _total`);
    samples.set(name + labels, Number(value));
  }
  return samples;
}

async function metrics(server: TestServer): Promise<Map<string, number>> {
  const response = await fetch(server.http("/metrics"));
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  return parseExposition(await response.text());
}

/** A socket's round trip: once its `pong` arrives, the server has attached it. */
async function roundTrip(socket: TestSocket): Promise<void> {
  socket.send({ type: "ping" });
  await socket.next((frame) => frame.type === "pong");
}

/** Reads /metrics until `check` holds: a closed socket is counted out when the server sees the close. */
async function metricsWhen(server: TestServer, check: (samples: Map<string, number>) => boolean) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const samples = await metrics(server);
    if (check(samples)) return samples;
    assert.ok(Date.now() < deadline, `metrics never matched: ${JSON.stringify(Object.fromEntries(samples))}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

dbTest("metrics - a dm, the open sockets and an error frame show in /metrics", async (server) => {
  const ada = await server.register("Ada");
  const bob = await server.register("Bob");
  const sockets = [await server.chat(ada), await server.chat(bob), await server.presence(ada)];
  const [adaChat, bobChat, adaRoster] = sockets;
  await Promise.all(sockets.map(roundTrip));
  const before = await metrics(server);
  assert.equal(before.get('quickchat_connections{kind="chat"}'), 2);
  assert.equal(before.get('quickchat_connections{kind="presence"}'), 1);
  assert.equal(before.get("quickchat_users_online"), 2);

  adaChat.send({ type: "dm", to: bob.userId, text: "counted" });
  await bobChat.next((frame) => frame.type === "dm");
  adaChat.send({ type: "dm", to: ada.userId, text: "to myself" });
  await adaChat.next((frame) => frame.type === "error");
  const after = await metrics(server);
  assert.equal(after.get("quickchat_dms_relayed_total"), before.get("quickchat_dms_relayed_total")! + 1);
  const selfChat = 'quickchat_errors_total{code="SELF_CHAT_BLOCKED"}';
  assert.equal(after.get(selfChat), (before.get(selfChat) ?? 0) + 1);

  await bobChat.close();
  const closed = await metricsWhen(server, (samples) => samples.get('quickchat_connections{kind="chat"}') === 1);
  assert.equal(closed.get('quickchat_connections{kind="presence"}'), 1);
  assert.equal(closed.get("quickchat_dms_relayed_total"), after.get("quickchat_dms_relayed_total"));
  await Promise.all([adaChat.close(), adaRoster.close()]);
});

dbTest("metrics - a refused socket counts its error code and a policy close", async (server) => {
  const ada = await server.register("Ada");
  const socket = new TestSocket(server.ws(`/ws/chat?me=${ada.userId}&token=${"A".repeat(43)}`));
  assert.equal((await socket.next((frame) => frame.type === "error")).code, "UNAUTHORIZED");
  assert.equal((await socket.closed).code, 1008);
  const samples = await metrics(server);
  assert.equal(samples.get('quickchat_errors_total{code="UNAUTHORIZED"}'), 1);
  assert.equal(samples.get("quickchat_sockets_refused_total"), 1);
  assert.equal(samples.get('quickchat_connections{kind="chat"}'), 0);
});
