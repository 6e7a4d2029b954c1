import assert from "node:assert/strict";
import { register } from "./register.ts";

const identity = { user_id: "0b9a4f5e-6c1d-4e55-9a53-3f1f7f0f2b11", name: "Ada" };

function answering(status: number, body: unknown): typeof fetch {
  return (() => Promise.resolve(Response.json(body, { status }))) as typeof fetch;
}

Deno.test("ui - register reports the name the server kept", async () => {
  const outcome = await register(identity, {
    fetcher: answering(200, { ok: true, user_id: identity.user_id, name: "Ada", token: "t0k" }),
  });
  assert.deepEqual(outcome, { kind: "ok", name: "Ada", token: "t0k" });
});

Deno.test("ui - register tells a taken id, a refused body and an unreachable server apart", async () => {
  assert.deepEqual(await register(identity, { fetcher: answering(401, { error: "UNAUTHORIZED", detail: "taken" }) }), {
    kind: "unauthorized",
  });
  assert.deepEqual(
    await register(identity, { fetcher: answering(400, { error: "INVALID_PAYLOAD", detail: "too long" }) }),
    {
      kind: "invalid",
      detail: "too long",
    },
  );
  assert.deepEqual(
    await register(identity, { fetcher: answering(503, { error: "DATABASE_UNAVAILABLE", detail: "down" }) }),
    {
      kind: "unavailable",
      detail: "down",
    },
  );
  const failing = (() => Promise.reject(new TypeError("Failed to fetch"))) as typeof fetch;
  assert.deepEqual(await register(identity, { fetcher: failing }), { kind: "unavailable", detail: "Failed to fetch" });
});

Deno.test("ui - a registration that hangs counts as unavailable after its timeout", async () => {
  // Answers only when aborted, as a request over a network that went away.
  const hanging =
    ((_: RequestInfo | URL, init?: RequestInit) =>
      new Promise((_, reject) =>
        init?.signal?.addEventListener("abort", () => reject(init.signal!.reason))
      )) as typeof fetch;
  const outcome = await register(identity, { fetcher: hanging, timeoutMs: 20 });
  assert.equal(outcome.kind, "unavailable");
});

Deno.test("ui - register tells a busy network apart, with the wait the server named", async () => {
  const busy = (headers: HeadersInit) =>
    (() =>
      Promise.resolve(
        Response.json({ error: "RATE_LIMITED", detail: "Too many new users" }, { status: 429, headers }),
      )) as typeof fetch;
  assert.deepEqual(await register(identity, { fetcher: busy({ "retry-after": "3" }) }), {
    kind: "busy",
    retryAfterMs: 3000,
  });
  assert.deepEqual(
    await register(identity, { fetcher: busy({}) }),
    { kind: "busy", retryAfterMs: 5000 },
    "no header: 5 s",
  );
});

Deno.test("ui - register presents a token it is given as a bearer token, out of the URL, and only then", async () => {
  const requests: [string, string | null][] = [];
  const recording = ((url: RequestInfo | URL, init?: RequestInit) => {
    requests.push([String(url), new Headers(init?.headers).get("authorization")]);
    return Promise.resolve(Response.json({ ok: true, user_id: identity.user_id, name: "Ada", token: "t0k.en" }));
  }) as typeof fetch;
  await register(identity, { fetcher: recording });
  await register(identity, { fetcher: recording, token: "t0k.en" });
  assert.deepEqual(requests, [["/presence/register", null], ["/presence/register", "Bearer t0k.en"]]);
});
