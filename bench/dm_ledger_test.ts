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
