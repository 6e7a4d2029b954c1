import assert from "node:assert/strict";
import { KeyedBuckets, TokenBucket } from "./rate_limit.ts";

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
