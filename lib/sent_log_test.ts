import assert from "node:assert/strict";
import { DEDUP_WINDOW_MS, fingerprintOf, SentLog } from "./sent_log.ts";

Deno.test("sent log - a retry within the window finds the first timestamp", () => {
  const log = new SentLog();
  log.remember("ada", "m1", 1000);
  assert.equal(log.find("ada", "m1", 2000), 1000);
  assert.equal(log.find("ada", "m2", 2000), undefined);
  assert.equal(log.find("bob", "m1", 2000), undefined, "ids are per sender");
  assert.equal(log.find("ada", "m1", 1000 + DEDUP_WINDOW_MS), undefined, "not after the window");
});

Deno.test("sent log - each sender keeps their 32 latest ids", () => {
  const log = new SentLog();
  for (let i = 0; i < 40; i++) log.remember("ada", `m${i}`, 1000 + i);
  assert.equal(log.find("ada", "m7", 1100), undefined);
  assert.equal(log.find("ada", "m8", 1100), 1008);
  assert.equal(log.find("ada", "m39", 1100), 1039);
});

Deno.test("sent log - idle senders are forgotten", () => {
  const log = new SentLog();
  log.remember("ada", "m1", 0);
  log.remember("bob", "m1", DEDUP_WINDOW_MS);
  log.prune(DEDUP_WINDOW_MS + 1);
  assert.equal(log.find("ada", "m1", 0), undefined);
  assert.equal(log.find("bob", "m1", DEDUP_WINDOW_MS + 1), DEDUP_WINDOW_MS);
});

Deno.test("sent log - fingerprints of distinct ids do not collide in practice", () => {
  const seen = new Set<number>();
  const ids = [
    ...Array.from({ length: 100_000 }, (_, i) => `m${i}`),
    ...Array.from({ length: 100_000 }, () => crypto.randomUUID()),
  ];
  for (const id of ids) {
    const fingerprint = fingerprintOf(id);
    assert.ok(Number.isSafeInteger(fingerprint) && fingerprint > 0);
    seen.add(fingerprint);
  }
  assert.equal(seen.size, ids.length);
});

Deno.test("sent log - a lookup before a sender's first message, or before a prune, hides nothing after", () => {
  const log = new SentLog();
  assert.equal(log.find("ada", "m1", 1000), undefined);
  log.remember("ada", "m1", 1000);
  assert.equal(log.find("ada", "m1", 1001), 1000, "ada's ring was made after her lookup");
  assert.equal(log.find("bob", "m1", 1001), undefined);
  log.prune(1000 + DEDUP_WINDOW_MS);
  assert.equal(log.find("ada", "m1", 1000 + DEDUP_WINDOW_MS), undefined, "pruned");
  log.remember("ada", "m2", 2000 + DEDUP_WINDOW_MS);
  log.remember("bob", "m2", 2000 + DEDUP_WINDOW_MS);
  assert.equal(log.find("ada", "m2", 2001 + DEDUP_WINDOW_MS), 2000 + DEDUP_WINDOW_MS, "a new ring after the prune");
  assert.equal(log.find("ada", "m3", 2001 + DEDUP_WINDOW_MS), undefined);
});
