import assert from "node:assert/strict";
import { scanDmSeq } from "./frame_scan.ts";

Deno.test("frame scan - reads the id of a dm whatever the key order", () => {
  assert.deepEqual(scanDmSeq('{"type":"dm","from":"a","to":"b","text":"hi","timestamp":1,"id":"42"}'), 42);
  assert.deepEqual(scanDmSeq('{"id":"7","text":"hi","type":"dm"}'), 7);
  assert.deepEqual(scanDmSeq(JSON.stringify({ type: "dm", id: "0", text: "x" })), 0);
});

Deno.test("frame scan - ignores ids hidden inside the text", () => {
  const frame = JSON.stringify({ type: "dm", id: "5", text: '"id":"99"' });
  assert.deepEqual(scanDmSeq(frame), 5);
});

Deno.test("frame scan - other frames and foreign ids are -1", () => {
  assert.deepEqual(scanDmSeq('{"type":"error","code":"PEER_OFFLINE","detail":"x","id":"3"}'), -1);
  assert.deepEqual(scanDmSeq('{"type":"pong"}'), -1);
  assert.deepEqual(scanDmSeq('{"type":"dm","text":"no id"}'), -1);
  assert.deepEqual(scanDmSeq('{"type":"dm","id":"abc"}'), -1);
  assert.deepEqual(scanDmSeq('{"type":"dm","id":""}'), -1);
  assert.deepEqual(scanDmSeq('{"type":"typing","text":"\\"type\\":\\"dm\\""}'), -1);
});
