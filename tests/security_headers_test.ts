import assert from "node:assert/strict";
import { dbTest, type TestServer } from "./harness.ts";

/** Asserts the headers every response must carry, and returns the response's CSP. */
function assertHardened(response: Response, what: string): string {
  assert.equal(response.headers.get("x-content-type-options"), "nosniff", what);
  assert.equal(response.headers.get("referrer-policy"), "no-referrer", what);
  assert.equal(response.headers.get("x-frame-options"), "DENY", what);
  const csp = response.headers.get("content-security-policy") ?? "";
  assert.match(csp, /(^|; )frame-ancestors 'none'(;|$)/, `${what}: ${csp}`);
  return csp;
}

async function get(server: TestServer, path: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(server.http(path), init);
  await response.body?.cancel();
  return response;
}

/** The built assets a page links to: its stylesheet and its scripts under `/_fresh/`. */
async function builtAssets(server: TestServer): Promise<string[]> {
  const html = await (await fetch(server.http("/"))).text();
  return [...new Set(html.match(/\/_fresh\/[^"'\s)]+/g) ?? [])];
}

dbTest("security headers - pages carry a CSP with a fresh nonce and frame-ancestors 'none'", async (server) => {
  const nonces = new Set<string>();
  for (
    const [path, init] of [["/", undefined], ["/docs", undefined], ["/nowhere", {
      headers: { accept: "text/html" },
    }]] as const
  ) {
    const response = await get(server, path, init);
    assert.match(response.headers.get("content-type")!, /^text\/html/, path);
    const csp = assertHardened(response, path);
    const nonce = csp.match(/script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/)?.[1];
    assert.ok(nonce, `${path} has a nonce: ${csp}`);
    nonces.add(nonce);
    assert.match(csp, /(^|; )object-src 'none'(;|$)/, path);
  }
  assert.equal(nonces.size, 3, "every page gets its own nonce");
});

dbTest("security headers - JSON, errors, static files, built assets, health and metrics carry them", async (server) => {
  const user = await server.register("Ada");
  const auth = { cookie: `qc_token=${user.token}` };
  const responses: [string, number, Response][] = [
    ["register", 200, await server.post("/presence/register", { user_id: user.userId, name: "Ada" }, auth)],
    ["a 400", 400, await server.post("/presence/register", { user_id: "nope", name: "Ada" })],
    ["a 401", 401, await server.post("/presence/logout", { user_id: user.userId })],
    ["a 404", 404, await get(server, "/nowhere")],
    ["a 405", 405, await get(server, "/presence/register")],
    ["a 415", 415, await server.post("/presence/register", "x", { "content-type": "text/plain" })],
    ["a 426", 426, await get(server, `/ws/chat?me=${user.userId}`)],
    ["the favicon", 200, await get(server, "/favicon.svg")],
    ["/health", 200, await get(server, "/health")],
    ["/metrics", 200, await get(server, "/metrics")],
    ["/openapi.json", 200, await get(server, "/openapi.json")],
  ];
  const etag = responses[7][2].headers.get("etag")!;
  responses.push(["a 304", 304, await get(server, "/favicon.svg", { headers: { "if-none-match": etag } })]);
  const assets = await builtAssets(server);
  assert.ok(assets.some((path) => path.endsWith(".css")) && assets.some((path) => path.endsWith(".js")), assets.join());
  for (const path of assets) responses.push([path, 200, await get(server, path)]);
  for (const [what, status, response] of responses) {
    await response.body?.cancel();
    assert.equal(response.status, status, what);
    const csp = assertHardened(response, what);
    assert.equal(csp, "default-src 'none'; frame-ancestors 'none'", `${what} is not a page: it may load nothing`);
  }
});

dbTest("security headers - the token cookie is HttpOnly and SameSite=Lax, and Secure behind HTTPS", async (server) => {
  const plain = await server.post("/presence/register", { user_id: crypto.randomUUID(), name: "Ada" });
  await plain.body?.cancel();
  const cookie = plain.headers.get("set-cookie")!;
  assert.match(cookie, /^qc_token=[0-9a-f]{32}\.[A-Za-z0-9_-]{43}; /);
  for (const attribute of ["HttpOnly", "SameSite=Lax", "Path=/"]) {
    assert.ok(cookie.split("; ").includes(attribute), attribute);
  }
  assert.ok(!cookie.split("; ").includes("Secure"), "plain HTTP gets no Secure cookie");

  for (const proto of ["https", "https, http"]) {
    const proxied = await server.post("/presence/register", { user_id: crypto.randomUUID(), name: "Bob" }, {
      "x-forwarded-proto": proto,
    });
    await proxied.body?.cancel();
    const secure = proxied.headers.get("set-cookie")!.split("; ");
    for (const attribute of ["HttpOnly", "SameSite=Lax", "Secure"]) {
      assert.ok(secure.includes(attribute), `${proto}: ${attribute}`);
    }
  }
  const downgraded = await server.post("/presence/register", { user_id: crypto.randomUUID(), name: "Cy" }, {
    "x-forwarded-proto": "http",
  });
  await downgraded.body?.cancel();
  assert.ok(!downgraded.headers.get("set-cookie")!.split("; ").includes("Secure"));
});
