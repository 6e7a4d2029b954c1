import assert from "node:assert/strict";
import { dbTest } from "./harness.ts";

const FRONTEND = "http://localhost:5173";

dbTest("cors - a page on the frontend's origin may register, with its cookie, and read errors", async (server) => {
  const preflight = await fetch(server.http("/presence/register"), {
    method: "OPTIONS",
    headers: {
      origin: FRONTEND,
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type",
    },
  });
  await preflight.body?.cancel();
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), FRONTEND);
  assert.equal(preflight.headers.get("access-control-allow-credentials"), "true");
  assert.match(preflight.headers.get("access-control-allow-methods")!, /\bPOST\b/);
  assert.equal(preflight.headers.get("access-control-allow-headers"), "content-type");

  const userId = crypto.randomUUID();
  const registered = await server.post("/presence/register", { user_id: userId, name: "Ada" }, { origin: FRONTEND });
  assert.equal(registered.status, 200);
  assert.equal(registered.headers.get("access-control-allow-origin"), FRONTEND);
  assert.equal(registered.headers.get("access-control-allow-credentials"), "true");
  assert.match(registered.headers.get("vary")!, /\bOrigin\b/);
  assert.match(registered.headers.get("set-cookie")!, /^qc_token=/);
  assert.equal((await registered.json()).user_id, userId);

  const refused = await server.post("/presence/register", { user_id: "nope", name: "Ada" }, { origin: FRONTEND });
  assert.equal(refused.status, 400);
  assert.equal(refused.headers.get("access-control-allow-origin"), FRONTEND, "the page can read why");
  assert.equal((await refused.json()).error, "INVALID_PAYLOAD");
}, { FRONTEND_ORIGIN: FRONTEND });

dbTest(
  "cors - a page on any other origin gets no CORS headers, so its browser keeps the answers from it",
  async (server) => {
    const preflight = await fetch(server.http("/presence/register"), {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    await preflight.body?.cancel();
    assert.equal(preflight.headers.get("access-control-allow-origin"), null);
    const response = await server.post("/presence/register", { user_id: crypto.randomUUID(), name: "Eve" }, {
      origin: "https://evil.example",
    });
    await response.body?.cancel();
    assert.equal(response.headers.get("access-control-allow-origin"), null);
    assert.equal(response.headers.get("access-control-allow-credentials"), null);
  },
  { FRONTEND_ORIGIN: FRONTEND },
);
