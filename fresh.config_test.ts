import assert from "node:assert/strict";
import { DRIVER_ENV_VARS, ENV_VARS, loadConfig } from "./fresh.config.ts";
import { NOTIFY_PAYLOAD_MAX_BYTES } from "./lib/bus.ts";
import { type DmFrame, MessageId } from "./lib/protocol.ts";

Deno.test("config - defaults serve on port 8000 on the embedded database with the documented limits", () => {
  const config = loadConfig({});
  assert.equal(config.port, 8000);
  assert.equal(config.host, "0.0.0.0");
  assert.equal(config.databaseUrl, undefined);
  assert.deepEqual(config.allowedOrigins, []);
  assert.equal(config.trustProxy, false, "X-Forwarded-For counts only when told a proxy appends it");
  assert.deepEqual(config.limits, {
    messageMaxChars: 2000,
    frameMaxBytes: 16384,
    ratePerSec: 20,
    rateBurst: 40,
    maxSocketsPerUser: 10,
    registerPerMin: 20,
    registerBurst: 20,
    sendBufferMaxBytes: 1048576,
    idleTimeoutSec: 30,
  });
  assert.ok(config.presence.graceMs <= 5000);
});

Deno.test("config - values come from the environment", () => {
  const config = loadConfig({
    PORT: "9001",
    HOST: "127.0.0.1",
    DATABASE_URL: "postgres://postgres@127.0.0.1:5432/test",
    ALLOWED_ORIGINS: "https://a.example, https://b.example/path",
    FRONTEND_ORIGIN: "http://localhost:5173",
    RATE_LIMIT_PER_SEC: "100000",
    TRUST_PROXY: "true",
  });
  assert.equal(config.port, 9001);
  assert.equal(config.trustProxy, true);
  assert.equal(config.databaseUrl, "postgres://postgres@127.0.0.1:5432/test");
  assert.deepEqual(config.allowedOrigins, ["https://a.example", "https://b.example", "http://localhost:5173"]);
  assert.equal(config.limits.ratePerSec, 100000);
});

Deno.test("config - the start task may read exactly the variables the config reads", async () => {
  const tasks = JSON.parse(await Deno.readTextFile(new URL("./deno.json", import.meta.url))).tasks;
  const allowed = /--allow-env=([\w,]+)/.exec(tasks.start)?.[1].split(",");
  assert.deepEqual(allowed?.sort(), [...ENV_VARS, ...DRIVER_ENV_VARS].sort());
});

Deno.test("config - a bad value stops start-up naming the variable", () => {
  assert.throws(() => loadConfig({ PORT: "eighty" }), /Invalid configuration:\n {2}PORT: /);
  assert.throws(() => loadConfig({ PORT: "70000" }), /PORT/);
  assert.throws(() => loadConfig({ DATABASE_URL: "mysql://x" }), /DATABASE_URL: must be a postgres:\/\/ URL/);
  assert.throws(() => loadConfig({ DATABASE_URL: "postgres://localhost/test" }), /names the user/);
  assert.throws(() => loadConfig({ PRESENCE_GRACE_MS: "60000" }), /PRESENCE_GRACE_MS/);
  assert.throws(() => loadConfig({ ALLOWED_ORIGINS: "not a url" }), /ALLOWED_ORIGINS/);
  assert.throws(() => loadConfig({ SESSION_SECRET: "short" }), /SESSION_SECRET: must be at least 32 characters/);
  assert.throws(() => loadConfig({ PGLITE_DIR: "my data" }), /PGLITE_DIR: must be a folder path without spaces/);
  assert.throws(() => loadConfig({ TRUST_PROXY: "maybe" }), /TRUST_PROXY/);
});

Deno.test("config - the longest DM allowed still fits one cross-instance notification", () => {
  const { messageMaxChars } = loadConfig({ MESSAGE_MAX_CHARS: "2550" }).limits;
  assert.throws(() => loadConfig({ MESSAGE_MAX_CHARS: "2551" }), /MESSAGE_MAX_CHARS/);
  // Three bytes per unit is the most UTF-8 takes (a pair of surrogates takes four for two units).
  const widest = "€";
  const frame: DmFrame = {
    type: "dm",
    from: crypto.randomUUID(),
    to: crypto.randomUUID(),
    text: widest.repeat(messageMaxChars),
    timestamp: 9_999_999_999_999,
    id: widest.repeat(MessageId.maxLength!),
  };
  assert.ok(new TextEncoder().encode(JSON.stringify(frame)).length <= NOTIFY_PAYLOAD_MAX_BYTES);
});
