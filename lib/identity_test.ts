import assert from "node:assert/strict";
import type { Database } from "../db/database.ts";
import { Identities, presentedToken, tokenCookie } from "./identity.ts";

// With a secret given, the database is not consulted.
const noDatabase = {} as Database;
const secret = "a-test-secret-that-is-long-enough-1234";

Deno.test("identity - a token proves its user id, and only its user id", async () => {
  const identities = await Identities.create(noDatabase, secret);
  const ada = crypto.randomUUID();
  const bob = crypto.randomUUID();
  const token = identities.sign(ada);
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(identities.verify(ada, token), true);
  assert.equal(identities.verify(bob, token), false);
  assert.equal(identities.verify(ada, null), false);
  assert.equal(identities.verify(ada, token.slice(0, -1) + (token.endsWith("A") ? "B" : "A")), false);
  assert.equal(identities.verify(ada, "not base64!"), false);
});

Deno.test("identity - a fresh instance with the same secret agrees, another secret does not", async () => {
  const ada = crypto.randomUUID();
  const token = (await Identities.create(noDatabase, secret)).sign(ada);
  assert.equal((await Identities.create(noDatabase, secret)).verify(ada, token), true);
  assert.equal((await Identities.create(noDatabase, `${secret}-other`)).verify(ada, token), false);
});

Deno.test("identity - tokens stay the same and check out however many users came between", async () => {
  const identities = await Identities.create(noDatabase, secret);
  const fresh = await Identities.create(noDatabase, secret);
  // More users than the instance keeps tokens of, so the first ones are signed again when checked.
  const users = Array.from({ length: 5000 }, () => crypto.randomUUID());
  const tokens = users.map((user) => identities.sign(user));
  for (const i of [0, 1, 2500, 4999]) {
    assert.equal(tokens[i], fresh.sign(users[i]));
    assert.equal(identities.verify(users[i], tokens[i]), true);
    assert.equal(identities.verify(users[i], tokens[(i + 1) % users.length]), false);
  }
  // Longer than any id, so not kept: signed the same way all the same.
  const long = "x".repeat(1000);
  assert.equal(identities.sign(long), fresh.sign(long));
  assert.equal(identities.verify(long, fresh.sign(long)), true);
});

Deno.test("identity - the token is read from the query first, then the cookie", () => {
  const url = new URL("http://localhost/ws/chat?me=x&token=from-query");
  const req = new Request(url, { headers: { cookie: "a=1; qc_token=from%2Dcookie; b=2" } });
  assert.equal(presentedToken(req, url), "from-query");
  const bare = new URL("http://localhost/ws/chat?me=x");
  assert.equal(
    presentedToken(new Request(bare, { headers: { cookie: "a=1; qc_token=from%2Dcookie" } }), bare),
    "from-cookie",
  );
  assert.equal(presentedToken(new Request(bare), bare), null);
  assert.equal(presentedToken(new Request(bare, { headers: { cookie: "qc_token=%E0%A4%A" } }), bare), null);
  assert.equal(tokenCookie("t", true), "qc_token=t; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000; Secure");
});
