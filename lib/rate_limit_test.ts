import assert from "node:assert/strict";
import { ClientLimits, KeyedBuckets, SITE_SHARE, TokenBucket } from "./rate_limit.ts";

Deno.test("rate limit - a burst passes, the frame after it is refused", () => {
  const bucket = new TokenBucket(20, 40);
  const now = Date.now();
  for (let i = 0; i < 40; i++) assert.ok(bucket.take(now), `frame ${i}`);
  assert.equal(bucket.take(now), false);
  assert.equal(bucket.refusedInARow, 1);
});

Deno.test("rate limit - tokens come back at the configured rate, up to the burst", () => {
  const bucket = new TokenBucket(20, 40);
  const start = Date.now() + 1;
  for (let i = 0; i < 40; i++) bucket.take(start);
  assert.equal(bucket.take(start + 40), false, "40 ms refill less than one token");
  assert.ok(bucket.take(start + 100), "100 ms refill two tokens");
  assert.ok(bucket.take(start + 100));
  assert.equal(bucket.take(start + 100), false);
  let allowed = 0;
  for (let i = 0; i < 100; i++) if (bucket.take(start + 60_000)) allowed++;
  assert.equal(allowed, 40, "a long pause refills only the burst");
  assert.equal(bucket.refusedInARow, 60);
});

Deno.test("rate limit - a clock set back neither locks a socket out nor refills it", () => {
  const bucket = new TokenBucket(20, 40);
  const start = Date.now();
  for (let i = 0; i < 40; i++) bucket.take(start);
  const hourEarlier = start - 3_600_000;
  assert.equal(bucket.take(hourEarlier), false, "going back refills nothing");
  assert.ok(bucket.take(hourEarlier + 100), "from the earlier time on, tokens come back at the usual rate");
  assert.ok(bucket.take(hourEarlier + 100));
  assert.equal(bucket.take(hourEarlier + 100), false);
});

Deno.test("rate limit - each key has its own bucket, and a refused take says how long to wait", () => {
  const limits = new KeyedBuckets(0.5, 2);
  const start = Date.now() + 1;
  assert.equal(limits.take("a", start), 0);
  assert.equal(limits.take("a", start), 0);
  assert.equal(limits.take("a", start), 2000, "one token every 2 s");
  assert.equal(limits.take("a", start + 1500), 500);
  assert.equal(limits.take("b", start + 1500), 0, "another key is not held back");
  assert.equal(limits.take("a", start + 2000), 0);
});

Deno.test("rate limit - keyed buckets forget keys once refilled, so memory follows recent keys", () => {
  const limits = new KeyedBuckets(1, 2);
  const start = Date.now() + 1;
  for (let i = 0; i < 1000; i++) limits.take(`client ${i}`, start);
  assert.equal(limits.size, 1000);
  limits.take("a newcomer", start + 1000);
  assert.equal(limits.size, 1001, "not refilled yet: every key is kept");
  limits.take("another newcomer", start + 2500);
  assert.equal(limits.size, 1, "the others refilled and were forgotten: only the last newcomer is kept");
  assert.equal(limits.take("client 0", start + 2500), 0, "a forgotten key starts with a full burst");
  assert.equal(limits.take("client 0", start + 2500), 0);
  assert.ok(limits.take("client 0", start + 2500) > 0);
});

Deno.test("rate limit - keyed buckets go on forgetting keys after the clock is set back", () => {
  const limits = new KeyedBuckets(1, 2);
  const start = Date.now() + 1;
  const hourEarlier = start - 3_600_000;
  for (let i = 0; i < 100; i++) limits.take(`client ${i}`, hourEarlier);
  limits.take("a newcomer", hourEarlier + 2500);
  assert.equal(limits.size, 1, "swept from the earlier time on, not an hour later");
});

Deno.test("rate limit - the blocks of an IPv6 site share a few clients' allowance; IPv4 clients have their own", () => {
  const limits = new ClientLimits(1, 2);
  const block = (n: number) => ({ key: `2001:db8:1:${n.toString(16)}::/64`, site: "2001:db8:1::/48" });
  const now = 1_000_000;
  // Each block has its own burst of 2, until the site's 2 × SITE_SHARE are spent.
  let admitted = 0;
  for (let n = 0; n < 100; n++) {
    for (let i = 0; i < 2; i++) if (limits.take(block(n), now) === 0) admitted++;
  }
  assert.equal(admitted, 2 * SITE_SHARE);
  assert.equal(limits.take(block(0), now), 1000, "the first block's own burst is spent: a second for one more");
  assert.equal(limits.take(block(99), now), 1000 / SITE_SHARE, "an unused block waits for the site's allowance");
  assert.equal(limits.take({ key: "2001:db8:2:1::/64", site: "2001:db8:2::/48" }, now), 0, "another site");
  assert.equal(limits.take({ key: "203.0.113.7", site: null }, now), 0, "an IPv4 client");
  // A refused take counted against neither: once the site has refilled two, the block refused thrice gets both.
  const later = now + 2 * 1000 / SITE_SHARE;
  assert.equal(limits.take(block(99), later), 0);
  assert.equal(limits.take(block(99), later), 0);
});
