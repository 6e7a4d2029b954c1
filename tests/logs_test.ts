/**
 * What a real server process prints while people use it: JSON lines only,
 * and nothing a reader of the logs should not see.
 */
import assert from "node:assert/strict";
import { DATABASE_KINDS, type DatabaseKind, freshDatabase, sharedDatabase } from "./harness.ts";
import { ServerProcess } from "./server_process.ts";
import { TestSocket } from "./ws_client.ts";

const LEVELS = ["debug", "info", "warn", "error"];

async function register(base: URL, name: string): Promise<{ userId: string; token: string }> {
  const userId = crypto.randomUUID();
  const response = await fetch(new URL("/presence/register", base), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user_id: userId, name }),
  });
  assert.equal(response.status, 200);
  return { userId, token: (await response.json()).token };
}

/** The secret the server signs tokens with: given, or made and stored in PostgreSQL. */
async function storedSecret(kind: DatabaseKind): Promise<string> {
  const db = await sharedDatabase(kind);
  const [row] = await db.query<{ value: string }>("SELECT value FROM app_secrets WHERE name = 'session'");
  return row.value;
}

for (const kind of DATABASE_KINDS) {
  Deno.test({
    name: `logs - one JSON object per line, without message text, tokens or the secret (${kind})`,
    sanitizeResources: false,
    sanitizeOps: false,
  }, async () => {
    // On PGlite the secret is given; on PostgreSQL the server makes one and stores it, where the test reads it.
    const given = `given-secret-${crypto.randomUUID()}`;
    const env: Record<string, string> = { LOG_LEVEL: "debug" };
    if (kind === "postgres") {
      await freshDatabase("postgres");
      env.DATABASE_URL = Deno.env.get("DATABASE_URL")!;
    } else {
      env.SESSION_SECRET = given;
    }
    const spawned = await ServerProcess.spawn(env);
    const server = await spawned.listening;
    const text = `the quick brown fox ${crypto.randomUUID()}`;
    let tokens: string[] = [];
    try {
      const ada = await register(server.url, "Ada");
      const bob = await register(server.url, "Bob");
      tokens = [ada.token, bob.token];
      const ws = (user: { userId: string; token: string }) =>
        new URL(`/ws/chat?me=${user.userId}&token=${user.token}`, server.url).href.replace(/^http/, "ws");
      const [adaChat, bobChat] = [new TestSocket(ws(ada)), new TestSocket(ws(bob))];
      await Promise.all([adaChat.opened, bobChat.opened]);
      for (const socket of [adaChat, bobChat]) {
        socket.send({ type: "ping" });
        await socket.next((frame) => frame.type === "pong");
      }
      adaChat.send({ type: "dm", to: bob.userId, text, id: "m-1" });
      assert.equal((await bobChat.next((frame) => frame.type === "dm")).text, text);
      adaChat.send({ type: "dm", to: ada.userId, text });
      await adaChat.next((frame) => frame.type === "error");
      const logout = await fetch(new URL("/presence/logout", server.url), {
        method: "POST",
        headers: { "content-type": "application/json", cookie: `qc_token=${ada.token}` },
        body: JSON.stringify({ user_id: ada.userId }),
      });
      assert.equal(logout.status, 200);
      await logout.body?.cancel();
      assert.deepEqual(await adaChat.closed, { code: 1008, reason: "LOGGED_OUT" });
      await spawned.nextLine(/"connection\.closed".*"LOGGED_OUT"/);
      await bobChat.close();
    } finally {
      await server.stop();
    }
    await spawned.nextLine(/"server\.stopped"/);

    const secret = kind === "postgres" ? await storedSecret(kind) : given;
    assert.ok(server.lines.length >= 3, server.lines.join("\n"));
    for (const line of server.lines) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line);
      } catch {
        assert.fail(`not a JSON line: ${line}`);
      }
      assert.ok(typeof entry === "object" && entry !== null && !Array.isArray(entry), line);
      assert.ok(typeof entry.time === "string" && !Number.isNaN(Date.parse(entry.time)), `time: ${line}`);
      assert.ok(LEVELS.includes(entry.level as string), `level: ${line}`);
      assert.match(entry.event as string, /^[a-z_]+(\.[a-z_]+)+$/, `event: ${line}`);
      assert.ok(!line.includes(text), `no message text: ${line}`);
      for (const token of tokens) assert.ok(!line.includes(token), `no token: ${line}`);
      assert.ok(!line.includes(secret), `no secret: ${line}`);
    }
    const events = server.lines.map((line) => JSON.parse(line).event);
    for (const event of ["server.listening", "connection.closed", "server.stopped"]) {
      assert.ok(events.includes(event), event);
    }
  });
}

Deno.test("logs - a bad configuration stops start-up with one JSON line naming each variable", async () => {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read=.", "--allow-env", "--allow-net", "main.ts"],
    cwd: new URL("..", import.meta.url),
    env: { PORT: "eighty", SESSION_SECRET: "short" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(code, 1);
  assert.equal(new TextDecoder().decode(stdout), "");
  const lines = new TextDecoder().decode(stderr).trim().split("\n");
  assert.equal(lines.length, 1, `one line, not ${lines.length}`);
  const line = JSON.parse(lines[0]);
  assert.equal(line.level, "error");
  assert.equal(line.event, "config.invalid");
  assert.equal(line.problems.length, 2);
  assert.match(line.problems[0], /^PORT: /);
  assert.match(line.problems[1], /^SESSION_SECRET: must be at least 32 characters/);
});
