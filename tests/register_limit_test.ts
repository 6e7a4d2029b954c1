import assert from "node:assert/strict";
import { SITE_SHARE } from "../lib/rate_limit.ts";
import { dbTest, rosterOf, type TestServer } from "./harness.ts";

const register = (server: TestServer, userId: string, headers: HeadersInit = {}) =>
  server.post("/presence/register", { user_id: userId, name: "Newcomer" }, headers);

dbTest(
  "register limit - new users from one address beyond the burst get 429 with Retry-After, and stay offline",
  async (server) => {
    const ada = await server.register("Ada");
    const bob = await server.register("Bob");
    const carol = await server.register("Carol");

    const spamId = crypto.randomUUID();
    const refused = await register(server, spamId);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get("retry-after"), "1", "one more every second at 60 a minute");
    const body = await refused.json();
    assert.equal(body.error, "RATE_LIMITED");
    assert.match(body.detail, /^Too many new users from your network; try again in 1 s$/);
    // The API reference says so too.
    const reference = await (await fetch(server.http("/openapi.json"))).json();
    const documented = reference.paths["/presence/register"].post.responses["429"].$ref.split("/").at(-1);
    assert.equal(documented, "RATE_LIMITED");
    assert.ok(reference.components.responses[documented].headers["Retry-After"]);

    // Coming back or renaming with a token is not counted.
    const renamed = await server.register("Ada L.", ada.userId, ada.token);
    assert.equal(renamed.name, "Ada L.");

    // Nobody sees the refused user, and nobody holds their id.
    const watch = await server.presence(ada);
    const [snapshot] = watch.all("presence") as { users: { user_id: string; name: string }[] }[];
    assert.deepEqual(rosterOf(snapshot), [ada.userId, bob.userId, carol.userId].sort());
    await watch.close();

    // After the wait the server named, the same newcomer gets in.
    await new Promise((resolve) => setTimeout(resolve, Number(refused.headers.get("retry-after")) * 1000));
    const admitted = await register(server, spamId);
    assert.equal(admitted.status, 200);
    assert.equal((await admitted.json()).user_id, spamId);
  },
  { REGISTER_RATE_PER_MIN: "60", REGISTER_BURST: "3" },
);

dbTest(
  "register limit - behind a proxy on this machine, each forwarded client has its own allowance",
  async (server) => {
    const via = (client: string) => ({ "x-forwarded-for": client });
    for (let i = 0; i < 2; i++) {
      const response = await register(server, crypto.randomUUID(), via("203.0.113.7"));
      await response.body?.cancel();
      assert.equal(response.status, 200, `first client, user ${i}`);
    }
    const third = await register(server, crypto.randomUUID(), via("203.0.113.7"));
    await third.body?.cancel();
    assert.equal(third.status, 429, "the first client's burst is spent");
    // The proxy appends the address it saw: a client cannot pick its key by sending the header itself.
    const spoofing = await register(server, crypto.randomUUID(), via("198.51.100.1, 203.0.113.7"));
    await spoofing.body?.cancel();
    assert.equal(spoofing.status, 429, "a forged first entry does not make a new client");
    const other = await register(server, crypto.randomUUID(), via("198.51.100.1"));
    await other.body?.cancel();
    assert.equal(other.status, 200, "another client behind the same proxy");
  },
  { REGISTER_RATE_PER_MIN: "1", REGISTER_BURST: "2", TRUST_PROXY: "true" },
);

dbTest(
  "register limit - unless a proxy is declared trusted, a forwarded address makes no new client",
  async (server) => {
    for (const [i, client] of ["203.0.113.7", "198.51.100.1"].entries()) {
      const response = await register(server, crypto.randomUUID(), { "x-forwarded-for": client });
      await response.body?.cancel();
      assert.equal(response.status, i < 1 ? 200 : 429, `sent as ${client}`);
    }
  },
  { REGISTER_RATE_PER_MIN: "1", REGISTER_BURST: "1" },
);

dbTest(
  "register limit - claims to an id already taken are counted too, so guessing tokens costs as much",
  async (server) => {
    const ada = await server.register("Ada");
    for (let i = 0; i < 2; i++) {
      const claim = await register(server, ada.userId);
      await claim.body?.cancel();
      assert.equal(claim.status, 401, `claim ${i}`);
    }
    const claim = await register(server, ada.userId);
    await claim.body?.cancel();
    assert.equal(claim.status, 429);
  },
  { REGISTER_RATE_PER_MIN: "1", REGISTER_BURST: "3" },
);

dbTest(
  "register limit - the blocks of one IPv6 /48 share a few clients' allowance",
  async (server) => {
    // Behind a trusted proxy, so that the test can speak for many IPv6 clients.
    const from = async (client: string) => {
      const response = await register(server, crypto.randomUUID(), { "x-forwarded-for": client });
      await response.body?.cancel();
      return response.status;
    };
    const statuses = [];
    for (let block = 1; block <= SITE_SHARE + 1; block++) statuses.push(await from(`2001:db8:7:${block}::1`));
    assert.deepEqual(statuses, [...Array(SITE_SHARE).fill(200), 429], `each /64 has one, the /48 ${SITE_SHARE} in all`);
    assert.equal(await from("2001:db8:8:1::1"), 200, "another /48");
    assert.equal(await from("203.0.113.7"), 200, "an IPv4 client");
  },
  { REGISTER_RATE_PER_MIN: "1", REGISTER_BURST: "1", TRUST_PROXY: "true" },
);
