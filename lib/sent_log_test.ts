import assert from "node:assert/strict";
import { DEDUP_WINDOW_MS, SentLog } from "./sent_log.ts";

Deno.test("sent log - a retry within the window finds the first acknowledgement", () => {
  const log = new SentLog();
  log.remember("ada", "m1", "ack-1", 1000);
  assert.equal(log.find("ada", "m1", 2000), "ack-1");
  assert.equal(log.find("bob", "m1", 2000), undefined, "ids are per sender");
  assert.equal(log.find("ada", "m1", 1000 + DEDUP_WINDOW_MS), undefined, "not after the window");
});

Deno.test("sent log - each sender keeps their 32 latest ids", () => {
  const log = new SentLog();
  for (let i = 0; i < 40; i++) log.remember("ada", `m${i}`, `ack-${i}`, 1000);
  assert.equal(log.find("ada", "m7", 1000), undefined);
  assert.equal(log.find("ada", "m8", 1000), "ack-8");
  assert.equal(log.find("ada", "m39", 1000), "ack-39");
});

Deno.test("sent log - idle senders are forgotten", () => {
  const log = new SentLog();
  log.remember("ada", "m1", "ack", 0);
  log.remember("bob", "m1", "ack", DEDUP_WINDOW_MS);
  log.prune(DEDUP_WINDOW_MS + 1);
  assert.equal(log.find("ada", "m1", 0), undefined);
  assert.equal(log.find("bob", "m1", DEDUP_WINDOW_MS + 1), "ack");
});
