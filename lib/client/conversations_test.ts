import assert from "node:assert/strict";
import type { DmFrame } from "../protocol.ts";
import {
  addOutgoing,
  type Conversations,
  failMessage,
  lastActivity,
  lastReadableId,
  markRead,
  MESSAGES_KEPT,
  receiveDm,
  receiveRead,
  setDelivery,
  totalUnread,
  unacknowledged,
} from "./conversations.ts";

const ME = "dddddddd-0000-4000-8000-000000000004";
const ADA = "aaaaaaaa-0000-4000-8000-000000000001";

function dm(from: string, to: string, text: string, id?: string, timestamp = 1000): DmFrame {
  return id === undefined ? { type: "dm", from, to, text, timestamp } : { type: "dm", from, to, text, timestamp, id };
}

function send(conversations: Conversations, id: string, text = "hi"): Conversations {
  return addOutgoing(conversations, { me: ME, peerId: ADA, peerName: "Ada", text, id, at: 5 });
}

Deno.test("ui - my message goes sending, sent, delivered by the echo, then read", () => {
  let conversations = send(new Map(), "m1");
  assert.equal(conversations.get(ADA)!.messages[0].delivery, "sending");
  assert.deepEqual(unacknowledged(conversations).map(({ message }) => message.id), ["m1"]);
  conversations = setDelivery(conversations, ADA, "m1", "sent");
  const echoed = receiveDm(conversations, ME, dm(ME, ADA, "hi", "m1", 2000), "Ada", true);
  assert.equal(echoed.incoming, false);
  conversations = echoed.conversations;
  const message = conversations.get(ADA)!.messages[0];
  assert.equal(message.delivery, "delivered");
  assert.equal(message.at, 2000, "the server's time replaces the local one");
  assert.equal(conversations.get(ADA)!.messages.length, 1);
  assert.deepEqual(unacknowledged(conversations), []);
  conversations = receiveRead(conversations, ME, { type: "read", from: ADA, to: ME, id: "m1" });
  assert.equal(conversations.get(ADA)!.messages[0].delivery, "read");
  const again = receiveDm(conversations, ME, dm(ME, ADA, "hi", "m1", 3000), "Ada", true).conversations;
  assert.equal(again.get(ADA)!.messages[0].delivery, "read", "a repeated echo does not undo the read");
});

Deno.test("ui - a read receipt marks my messages up to its id, not later ones", () => {
  let conversations = send(send(send(new Map(), "m1"), "m2"), "m3");
  for (const id of ["m1", "m2", "m3"]) conversations = setDelivery(conversations, ADA, id, "delivered");
  conversations = receiveRead(conversations, ME, { type: "read", from: ADA, to: ME, id: "m2" });
  assert.deepEqual(conversations.get(ADA)!.messages.map((message) => message.delivery), ["read", "read", "delivered"]);
  const unchanged = receiveRead(conversations, ME, { type: "read", from: ADA, to: ME, id: "unknown" });
  assert.equal(unchanged, conversations);
});

Deno.test("ui - a peer's message counts as unread unless in view, and only once", () => {
  let received = receiveDm(new Map(), ME, dm(ADA, ME, "hello", "a1"), "Ada", false);
  assert.equal(received.incoming, true);
  assert.equal(received.peerId, ADA);
  received = receiveDm(received.conversations, ME, dm(ADA, ME, "hello", "a1"), "Ada", false);
  assert.equal(received.incoming, false);
  received = receiveDm(received.conversations, ME, dm(ADA, ME, "there", "a2"), "Ada", false);
  assert.equal(received.conversations.get(ADA)!.unread, 2);
  assert.equal(totalUnread(received.conversations), 2);
  assert.equal(lastReadableId(received.conversations.get(ADA), ME), "a2");
  let conversations = markRead(received.conversations, ADA);
  assert.equal(totalUnread(conversations), 0);
  conversations = receiveDm(conversations, ME, dm(ADA, ME, "seen", "a3"), "Ada", true).conversations;
  assert.equal(totalUnread(conversations), 0);
});

Deno.test("ui - a read from another tab of mine clears the unread count here", () => {
  const { conversations } = receiveDm(new Map(), ME, dm(ADA, ME, "hello", "a1"), "Ada", false);
  const read = receiveRead(conversations, ME, { type: "read", from: ME, to: ADA, id: "a1" });
  assert.equal(read.get(ADA)!.unread, 0);
});

Deno.test("ui - messages without an id are kept with a local id that no receipt names", () => {
  const { conversations } = receiveDm(new Map(), ME, dm(ADA, ME, "from the seed client"), "Ada", false);
  const message = conversations.get(ADA)!.messages[0];
  assert.equal(message.wireId, false);
  assert.equal(lastReadableId(conversations.get(ADA), ME), undefined);
});

Deno.test("ui - an echo of a message sent from my other tab is added as delivered", () => {
  const { conversations, incoming } = receiveDm(new Map(), ME, dm(ME, ADA, "from my phone", "p1"), "Ada", false);
  assert.equal(incoming, false);
  assert.equal(conversations.get(ADA)!.messages[0].delivery, "delivered");
  assert.equal(conversations.get(ADA)!.unread, 0);
});

Deno.test("ui - a refused message fails with its error, and a retry clears it", () => {
  let conversations = setDelivery(send(new Map(), "m1"), ADA, "m1", "sent");
  conversations = failMessage(conversations, "m1", { code: "PEER_OFFLINE", detail: "User is offline" });
  const failed = conversations.get(ADA)!.messages[0];
  assert.equal(failed.delivery, "failed");
  assert.equal(failed.error?.code, "PEER_OFFLINE");
  assert.equal(failMessage(conversations, "nope", { code: "UNKNOWN", detail: "" }), conversations);
  conversations = setDelivery(conversations, ADA, "m1", "sending");
  assert.equal(conversations.get(ADA)!.messages[0].error, undefined);
});

Deno.test("ui - conversations keep their latest messages and report their last activity", () => {
  let conversations: Conversations = new Map();
  for (let i = 0; i < MESSAGES_KEPT + 5; i++) conversations = send(conversations, `m${i}`);
  const messages = conversations.get(ADA)!.messages;
  assert.equal(messages.length, MESSAGES_KEPT);
  assert.equal(messages[0].id, "m5");
  assert.deepEqual([...lastActivity(conversations)], [[ADA, { at: 5, peerName: "Ada" }]]);
});

Deno.test("ui - a message delivered only on a retry moves after those stamped before it", () => {
  let conversations = send(new Map(), "m1");
  conversations = failMessage(conversations, "m1", { code: "PEER_OFFLINE", detail: "User is offline" });
  conversations = receiveDm(conversations, ME, dm(ADA, ME, "back now", "a1", 2000), "Ada", true).conversations;
  // Written after the retry, still on its way.
  conversations = addOutgoing(conversations, { me: ME, peerId: ADA, peerName: "Ada", text: "and", id: "m2", at: 4000 });
  const retried = receiveDm(conversations, ME, dm(ME, ADA, "hi", "m1", 3000), "Ada", true).conversations;
  assert.deepEqual(retried.get(ADA)!.messages.map(({ id, at }) => [id, at]), [["a1", 2000], ["m1", 3000], [
    "m2",
    4000,
  ]]);
  // Delivered right away, it keeps its place.
  const quick = receiveDm(send(new Map(), "m3"), ME, dm(ME, ADA, "hi", "m3", 10), "Ada", true).conversations;
  assert.deepEqual(quick.get(ADA)!.messages.map(({ id }) => id), ["m3"]);
});

Deno.test("ui - a message stays above mine still on their way, and a receipt never marks those read", () => {
  let conversations = send(new Map(), "m1");
  conversations = addOutgoing(conversations, { me: ME, peerId: ADA, peerName: "Ada", text: "two", id: "m2", at: 6 });
  // m1 was refused for my pace and goes again after m2 was written; the server stamps it first.
  conversations = receiveDm(conversations, ME, dm(ME, ADA, "hi", "m1", 3000), "Ada", true).conversations;
  assert.deepEqual(conversations.get(ADA)!.messages.map(({ id }) => id), ["m1", "m2"]);
  conversations = receiveRead(conversations, ME, { type: "read", from: ADA, to: ME, id: "m1" });
  assert.deepEqual(conversations.get(ADA)!.messages.map(({ delivery }) => delivery), ["read", "sending"]);
  assert.deepEqual(unacknowledged(conversations).map(({ message }) => message.id), ["m2"], "m2 still goes out");
  // Refused while the next was on its way already: the next is read first.
  let overtaken = send(new Map(), "m3");
  overtaken = addOutgoing(overtaken, { me: ME, peerId: ADA, peerName: "Ada", text: "four", id: "m4", at: 6 });
  overtaken = receiveDm(overtaken, ME, dm(ME, ADA, "four", "m4", 3000), "Ada", true).conversations;
  overtaken = receiveRead(overtaken, ME, { type: "read", from: ADA, to: ME, id: "m4" });
  assert.deepEqual(overtaken.get(ADA)!.messages.map(({ id, delivery }) => [id, delivery]), [
    ["m3", "sending"],
    ["m4", "read"],
  ]);
});
