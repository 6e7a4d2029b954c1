import assert from "node:assert/strict";
import { DmLedger } from "./dm_ledger.ts";

const dm = (seq: number) => `{"type":"dm","from":"a","to":"b","text":"hi","timestamp":1,"id":"${seq}"}`;

Deno.test("dm ledger - a DM settles once delivered to the peer and echoed to the sender", () => {
  const ledger = new DmLedger(100);
  const settled: number[] = [];
  ledger.onSettled = (seq) => settled.push(seq);
  const seq = ledger.sent(0, performance.now());
  assert.equal(seq, 100);
  ledger.receive(1, dm(seq));
  assert.deepEqual(settled, []);
  ledger.receive(0, dm(seq));
  assert.deepEqual(settled, [100]);
  const totals = ledger.totals();
  assert.deepEqual([totals.sent, totals.delivered, totals.echoed, totals.lostDeliveries], [1, 1, 1, 0]);
  assert.equal(totals.latency.count, 1);
});

Deno.test("dm ledger - missing deliveries count as lost, repeats as duplicates", () => {
  const ledger = new DmLedger(0);
  const first = ledger.sent(0, 0);
  ledger.sent(2, 0);
  ledger.receive(0, dm(first));
  ledger.receive(0, dm(first));
  const totals = ledger.totals();
  assert.deepEqual([totals.lostDeliveries, totals.lostEchoes, totals.duplicates], [2, 1, 1]);
});

Deno.test("dm ledger - ids from an earlier run are strays, not deliveries", () => {
  const ledger = new DmLedger(10);
  ledger.sent(0, 0);
  ledger.receive(1, dm(3));
  assert.deepEqual([ledger.totals().delivered, ledger.totals().strays], [0, 1]);
});

Deno.test("dm ledger - a refused DM is counted by code and settles", async () => {
  const ledger = new DmLedger(0);
  const seq = ledger.sent(0, 0);
  const settled = ledger.waitSettled(1, 1000);
  ledger.receive(0, `{"type":"error","code":"PEER_OFFLINE","detail":"User is offline","id":"${seq}"}`);
  assert.equal(await settled, true);
  assert.deepEqual(ledger.totals().errors, { PEER_OFFLINE: 1 });
});

Deno.test("dm ledger - grows past its initial capacity", () => {
  const ledger = new DmLedger(0);
  for (let i = 0; i < 70_000; i++) ledger.receive(1, dm(ledger.sent(0, 0)));
  assert.equal(ledger.totals().delivered, 70_000);
});

Deno.test("dm ledger - a timeline lists every DM with its send time and latency, blank when it never arrived", () => {
  const ledger = new DmLedger(7, { keepTimeline: true });
  const sentAt = performance.now();
  const first = ledger.sent(0, sentAt);
  ledger.sent(2, sentAt + 1);
  // Past the first capacity, so the timeline grows with the rest.
  let last = 0;
  for (let i = 0; i < 70_000; i++) last = ledger.sent(4, sentAt);
  ledger.receive(1, dm(first));
  ledger.receive(5, dm(last));
  const receivedBy = performance.now();
  const lines = ledger.timelineCsv().trimEnd().split("\n").map((line) => line.split(","));
  assert.deepEqual(lines[0], ["seq", "sent_at_ms", "latency_ms"]);
  assert.equal(lines.length, 1 + 70_002);
  const arrived = (latency: string) => Number(latency) >= 0 && Number(latency) <= receivedBy - sentAt + 0.001;
  const [seq, at, latency] = lines[1];
  assert.deepEqual([Number(seq), Number(at)], [7, Number((performance.timeOrigin + sentAt).toFixed(3))]);
  assert.ok(arrived(latency), `latency ${latency}`);
  assert.deepEqual([lines[2][0], lines[2][2]], ["8", ""]);
  assert.equal(Number(lines[70_002][0]), last);
  assert.ok(arrived(lines[70_002][2]), `latency ${lines[70_002][2]}`);
});

Deno.test("dm ledger - asks for a timeline it was not told to keep with an error", () => {
  assert.throws(() => new DmLedger(0).timelineCsv(), /keepTimeline/);
});
