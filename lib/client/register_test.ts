import assert from "node:assert/strict";
import { register } from "./register.ts";

const identity = { user_id: "0b9a4f5e-6c1d-4e55-9a53-3f1f7f0f2b11", name: "Ada" };

function answering(status: number, body: unknown): typeof fetch {
  return (() => Promise.resolve(Response.json(body, { status }))) as typeof fetch;
}

Deno.test("ui - register reports the name the server kept", async () => {
  const outcome = await register(identity, answering(200, { ok: true, user_id: identity.user_id, name: "Ada" }));
  assert.deepEqual(outcome, { kind: "ok", name: "Ada" });
});

Deno.test("ui - register tells a taken id, a refused body and an unreachable server apart", async () => {
  assert.deepEqual(await register(identity, answering(401, { error: "UNAUTHORIZED", detail: "taken" })), {
    kind: "unauthorized",
  });
  assert.deepEqual(await register(identity, answering(400, { error: "INVALID_PAYLOAD", detail: "too long" })), {
    kind: "invalid",
    detail: "too long",
  });
  assert.deepEqual(await register(identity, answering(503, { error: "DATABASE_UNAVAILABLE", detail: "down" })), {
    kind: "unavailable",
    detail: "down",
  });
  const failing = (() => Promise.reject(new TypeError("Failed to fetch"))) as typeof fetch;
  assert.deepEqual(await register(identity, failing), { kind: "unavailable", detail: "Failed to fetch" });
});

Deno.test("ui - a registration that hangs counts as unavailable after its timeout", async () => {
  // Answers only when aborted, as a request over a network that went away.
  const hanging =
    ((_: RequestInfo | URL, init?: RequestInit) =>
      new Promise((_, reject) =>
        init?.signal?.addEventListener("abort", () => reject(init.signal!.reason))
      )) as typeof fetch;
  const outcome = await register(identity, hanging, 20);
  assert.equal(outcome.kind, "unavailable");
});

Deno.test("ui - register tells a busy network apart, with the wait the server named", async () => {
  const busy = (headers: HeadersInit) =>
    (() =>
      Promise.resolve(
        Response.json({ error: "RATE_LIMITED", detail: "Too many new users" }, { status: 429, headers }),
      )) as typeof fetch;
  assert.deepEqual(await register(identity, busy({ "retry-after": "3" })), { kind: "busy", retryAfterMs: 3000 });
  assert.deepEqual(await register(identity, busy({})), { kind: "busy", retryAfterMs: 5000 }, "no header: 5 s");
});
