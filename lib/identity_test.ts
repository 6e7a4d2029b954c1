import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import type { Database } from "../db/database.ts";
import { registerOnline } from "../db/roster.ts";
import { DATABASE_KINDS, freshDatabase } from "../tests/harness.ts";
import { Identities, presentedToken, tokenCookie } from "./identity.ts";

// With a secret given, the database is consulted only for bindings not kept: this one throws if asked.
const noDatabase = {} as Database;
const secret = "a-test-secret-that-is-long-enough-1234";

Deno.test("identity - a token proves its user id under its binding, and only that", async () => {
  const identities = await Identities.create(noDatabase, secret);
  const ada = crypto.randomUUID();
  const bob = crypto.randomUUID();
  const binding = "0123456789abcdef0123456789abcdef";
  const token = identities.bound(ada, binding);
  assert.match(token, /^0123456789abcdef0123456789abcdef\.[A-Za-z0-9_-]{43}$/);
  assert.equal(await identities.proven(ada, token), binding);
  assert.equal(await identities.verify(ada, token), true);
  assert.equal(identities.bound(ada, binding), token, "the same binding, the same token");
  assert.notEqual(identities.sign(ada, "fedcba9876543210fedcba9876543210"), token);
  assert.notEqual(identities.sign(bob, binding), token);
});

Deno.test("identity - a forged token is refused without asking the database", async () => {
  const identities = await Identities.create(noDatabase, secret);
  const ada = crypto.randomUUID();
  const token = identities.bound(ada, "0123456789abcdef0123456789abcdef");
  const mac = token.slice(33);
  const flipped = mac.slice(0, -1) + (mac.endsWith("A") ? "B" : "A");
  for (
    const forged of [
      `0123456789abcdef0123456789abcdef.${flipped}`,
      `fedcba9876543210fedcba9876543210.${mac}`,
      mac,
      "A".repeat(43),
      `${token}x`,
      "not a token!",
      "",
      null,
    ]
  ) {
    assert.equal(await identities.proven(ada, forged), null, String(forged));
  }
  const signedForBob = (await Identities.create(noDatabase, secret)).sign(crypto.randomUUID(), "0".repeat(32));
  assert.equal(await identities.proven(ada, signedForBob), null);
});

Deno.test("identity - a signature is checked without the database, whatever the binding's fate", async () => {
  const identities = await Identities.create(noDatabase, secret);
  const ada = crypto.randomUUID();
  const binding = "0123456789abcdef0123456789abcdef";
  const token = (await Identities.create(noDatabase, secret)).sign(ada, binding);
  assert.equal(identities.signed(ada, token), binding);
  assert.equal(identities.signed(crypto.randomUUID(), token), null);
  assert.equal(identities.signed(ada, `${binding}.${"A".repeat(43)}`), null);
  assert.equal(identities.signed(ada, null), null);
});

Deno.test("identity - ids bound before bindings keep the tokens they were given", async () => {
  const identities = await Identities.create(noDatabase, secret);
  const ada = crypto.randomUUID();
  const before = createHmac("sha256", secret).update(`quick-chat:${ada}`).digest("base64url");
  assert.equal(identities.sign(ada, ""), before);
  assert.equal(identities.bound(ada, ""), before);
  assert.equal(await identities.proven(ada, before), "");
});

for (const kind of DATABASE_KINDS) {
  const dbTest = (name: string, fn: (db: Database) => Promise<void>) =>
    Deno.test({
      name: `${name} (${kind})`,
      sanitizeResources: false,
      sanitizeOps: false,
      fn: async () => fn(await freshDatabase(kind)),
    });

  dbTest("identity - another instance reads the binding, and the secret must match", async (db) => {
    const ada = crypto.randomUUID();
    const binding = (await registerOnline(db, ada, "Ada", null))!.binding;
    const token = (await Identities.create(db, secret)).bound(ada, binding);
    const other = await Identities.create(db, secret);
    assert.equal(await other.proven(ada, token), binding);
    assert.equal(await other.proven(crypto.randomUUID(), token), null, "an id not bound");
    const madeUp = "fedcba9876543210fedcba9876543210";
    assert.equal(await other.proven(ada, other.sign(ada, madeUp)), null, "a binding the id does not have");
    assert.equal(await (await Identities.create(db, `${secret}-other`)).proven(ada, token), null);
  });

  dbTest("identity - once an id is bound again, the earlier token proves nothing", async (db) => {
    const ada = crypto.randomUUID();
    const here = await Identities.create(db, secret);
    const elsewhere = await Identities.create(db, secret);
    const first = (await registerOnline(db, ada, "Ada", null))!.binding;
    const earlier = here.bound(ada, first);
    assert.equal(await elsewhere.proven(ada, earlier), first, "kept on both instances");
    await db.query("DELETE FROM users_online WHERE user_id = $1", [ada]);
    await db.query("DELETE FROM identities WHERE user_id = $1", [ada]);
    const second = (await registerOnline(db, ada, "Eve", null))!.binding;
    const later = here.bound(ada, second);
    assert.equal(await here.proven(ada, earlier), null);
    assert.equal(await here.proven(ada, later), second);
    // The instance that still keeps the earlier binding reads the new one rather than refuse its token.
    assert.equal(await elsewhere.proven(ada, later), second);
    assert.equal(await elsewhere.proven(ada, earlier), null);
  });

  dbTest("identity - a binding noted while a read was under way is not undone by the read", async (db) => {
    const identities = await Identities.create(db, secret);
    const ada = crypto.randomUUID();
    await registerOnline(db, ada, "Ada", null);
    const newer = "fedcba9876543210fedcba9876543210";
    const token = identities.sign(ada, newer);
    // The read finds the binding stored before; meanwhile a registration here binds the newer one.
    const checking = identities.proven(ada, token);
    identities.bound(ada, newer);
    assert.equal(await checking, newer);
    assert.equal(await identities.proven(ada, token), newer, "still kept");
  });

  dbTest("identity - bindings pushed out of memory are read again", async (db) => {
    const identities = await Identities.create(db, secret);
    const ada = crypto.randomUUID();
    const binding = (await registerOnline(db, ada, "Ada", null))!.binding;
    const token = identities.bound(ada, binding);
    await db.query("DELETE FROM users_online WHERE user_id = $1", [ada]);
    await db.query("DELETE FROM identities WHERE user_id = $1", [ada]);
    assert.equal(await identities.proven(ada, token), binding, "kept");
    for (let i = 0; i < 10_000; i++) identities.bound(crypto.randomUUID(), binding);
    assert.equal(await identities.proven(ada, token), null, "no longer kept, and no longer bound");
  });
}

Deno.test("identity - the token is read from the query first, then a bearer header, then the cookie", () => {
  const url = new URL("http://localhost/ws/chat?me=x&token=from-query");
  const req = new Request(url, { headers: { cookie: "a=1; qc_token=from%2Dcookie; b=2" } });
  assert.equal(presentedToken(req, url), "from-query");
  const bare = new URL("http://localhost/ws/chat?me=x");
  assert.equal(
    presentedToken(new Request(bare, { headers: { cookie: "a=1; qc_token=from%2Dcookie" } }), bare),
    "from-cookie",
  );
  assert.equal(presentedToken(new Request(bare), bare), null);
  const bearer = (value: string) =>
    presentedToken(new Request(bare, { headers: { authorization: value, cookie: "qc_token=from-cookie" } }), bare);
  assert.equal(bearer("Bearer ab.cd"), "ab.cd", "a bearer token before the cookie");
  assert.equal(bearer("bearer  ab.cd "), "ab.cd");
  assert.equal(bearer("Basic YWRhOnNlY3JldA=="), "from-cookie", "another scheme is no token");
  assert.equal(
    presentedToken(new Request(url, { headers: { authorization: "Bearer from-header" } }), url),
    "from-query",
  );
  assert.equal(presentedToken(new Request(bare, { headers: { cookie: "qc_token=%E0%A4%A" } }), bare), null);
  assert.equal(tokenCookie("t", true), "qc_token=t; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000; Secure");
});
