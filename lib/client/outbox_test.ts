import assert from "node:assert/strict";
import { type Signal, signal } from "@preact/signals";
import type { ClientFrame } from "../protocol.ts";
import { addOutgoing, type Conversations, setDelivery } from "./conversations.ts";
import { Outbox } from "./outbox.ts";
import type { Roster } from "./roster.ts";

const ME = "dddddddd-0000-4000-8000-000000000004";
const ADA = "aaaaaaaa-0000-4000-8000-000000000001";
const BOB = "bbbbbbbb-0000-4000-8000-000000000002";

function setup(peerReturnMs = 60_000) {
  const conversations = signal<Conversations>(new Map());
  const roster = signal<Roster>(new Map());
  const sent: ClientFrame[] = [];
  let open = false;
  const outbox = new Outbox({
    conversations,
    roster,
    send: (frame) => open && sent.push(frame) > 0,
    peerReturnMs,
    retryEveryMs: 5,
  });
  const write = (peerId: string, id: string) => {
    conversations.value = addOutgoing(conversations.value, { me: ME, peerId, peerName: "", text: id, id, at: 1 });
    outbox.send(peerId, id, id);
  };
  const delivery = (peerId: string, id: string) =>
    conversations.value.get(peerId)?.messages.find((message) => message.id === id)?.delivery;
  const setOpen = (value: boolean) => (open = value);
  return { conversations, roster, sent, outbox, write, delivery, setOpen };
}

const ids = (frames: ClientFrame[]) => frames.map((frame) => frame.type === "dm" ? frame.id : frame.type);

Deno.test("ui - a message written while connected goes at once", () => {
  const { outbox, write, sent, delivery, setOpen } = setup();
  setOpen(true);
  write(ADA, "m1");
  assert.deepEqual(ids(sent), ["m1"]);
  assert.equal(delivery(ADA, "m1"), "sent");
  outbox.close();
});

Deno.test("ui - messages queued while disconnected go to peers online once reconnected, others wait for theirs", () => {
  const { outbox, write, sent, roster, delivery, setOpen } = setup();
  write(ADA, "m1");
  write(BOB, "m2");
  assert.equal(delivery(ADA, "m1"), "sending");
  setOpen(true);
  roster.value = new Map([[ADA, "Ada"]]);
  outbox.reconnected();
  assert.deepEqual(ids(sent), ["m1"]);
  roster.value = new Map([[ADA, "Ada"], [BOB, "Bob"]]);
  outbox.flush();
  assert.deepEqual(ids(sent), ["m1", "m2"]);
  assert.equal(delivery(BOB, "m2"), "sent");
  outbox.close();
});

Deno.test("ui - a message sent but not acknowledged when the socket closed is sent again", () => {
  const { outbox, write, sent, roster, delivery, setOpen } = setup();
  setOpen(true);
  roster.value = new Map([[ADA, "Ada"]]);
  outbox.reconnected();
  write(ADA, "m1");
  setOpen(false);
  outbox.disconnected();
  assert.equal(delivery(ADA, "m1"), "sending");
  setOpen(true);
  outbox.reconnected();
  assert.deepEqual(ids(sent), ["m1", "m1"]);
  outbox.close();
});

/**
 * An outbox for Ada, listed online, whose chat socket never comes back: the
 * server answers every try of `m1` with PEER_OFFLINE. Messages wait `awayMs`
 * for a peer. `failed` resolves with the time of the PEER_OFFLINE the outbox
 * gave up on (and rejects if it never does); `tries` holds each try's time and
 * the delivery shown meanwhile.
 */
function peerNeverBack(awayMs: number, conversations: Signal<Conversations>) {
  const failed = Promise.withResolvers<number>();
  const tries: { at: number; delivery: string | undefined }[] = [];
  const outbox = new Outbox({
    conversations,
    roster: signal<Roster>(new Map([[ADA, "Ada"]])),
    send: () => {
      tries.push({ at: Date.now(), delivery: conversations.value.get(ADA)?.messages[0].delivery });
      queueMicrotask(() => {
        if (outbox.peerOffline("m1")) return;
        clearTimeout(bound);
        failed.resolve(Date.now());
      });
      return true;
    },
    peerReturnMs: awayMs,
    retryEveryMs: 5,
  });
  const bound = setTimeout(() => {
    outbox.close();
    failed.reject(new Error(`still waiting for the peer after ${awayMs + 5000} ms`));
  }, awayMs + 5000);
  return { outbox, tries, failed: failed.promise };
}

Deno.test("ui - PEER_OFFLINE for a queued message requeues it while its peer may come back, then fails it", async () => {
  const conversations = signal<Conversations>(
    addOutgoing(new Map(), { me: ME, peerId: ADA, peerName: "", text: "hi", id: "m1", at: 1 }),
  );
  const { outbox, tries, failed } = peerNeverBack(40, conversations);
  const reconnectedAt = Date.now();
  outbox.reconnected();
  const failedAt = await failed;
  assert.ok(tries.length >= 3, `tried again while waiting (${tries.length} tries)`);
  assert.ok(failedAt - reconnectedAt >= 40, `failed only after the wait (${failedAt - reconnectedAt} ms)`);
  assert.ok(tries.every(({ delivery }) => delivery === "sending"), "queued, never shown failed, while waiting");
  outbox.close();
});

Deno.test("ui - a message written by hand to an offline peer fails at once", () => {
  const { outbox, write, setOpen } = setup();
  setOpen(true);
  outbox.reconnected();
  write(BOB, "m1");
  assert.equal(outbox.peerOffline("m1"), false);
  outbox.close();
});

Deno.test("ui - a message written to a peer listed online whose chat socket is not back yet waits for them, once", async () => {
  const conversations = signal<Conversations>(new Map());
  // The peer reloads their page: listed all along, but their chat socket is away.
  const { outbox, tries, failed } = peerNeverBack(40, conversations);
  outbox.reconnected();
  conversations.value = addOutgoing(conversations.value, {
    me: ME,
    peerId: ADA,
    peerName: "",
    text: "hi",
    id: "m1",
    at: 1,
  });
  outbox.send(ADA, "m1", "hi");
  const failedAt = await failed;
  assert.ok(tries.length >= 3, `tried again while waiting (${tries.length} tries)`);
  const waited = failedAt - tries[0].at;
  assert.ok(waited >= 40, `failed only after waiting from the first refusal (${waited} ms)`);
  assert.ok(
    tries.slice(1).every(({ delivery }) => delivery === "sending"),
    "queued, never shown failed, while waiting",
  );
  // It waited once: the message failed for good, and nothing tries it again.
  const triesWhenFailed = tries.length;
  outbox.flush();
  assert.equal(tries.length, triesWhenFailed, "not tried again after failing");
  outbox.close();
});

Deno.test("ui - an acknowledged message is no longer held", () => {
  const { outbox, write, roster, setOpen, conversations } = setup();
  write(ADA, "m1");
  setOpen(true);
  roster.value = new Map([[ADA, "Ada"]]);
  outbox.reconnected();
  // As the echo does: the outbox hears of it, and the conversation shows it delivered.
  outbox.acknowledged("m1");
  conversations.value = setDelivery(conversations.value, ADA, "m1", "delivered");
  assert.equal(outbox.peerOffline("m1"), false);
  outbox.close();
});

Deno.test("ui - a message refused as RATE_LIMITED goes out again after a pause, ahead of those written meanwhile", async () => {
  const conversations = signal<Conversations>(new Map());
  const sent: { id: string; at: number }[] = [];
  const resent = Promise.withResolvers<void>();
  const outbox = new Outbox({
    conversations,
    roster: signal<Roster>(new Map([[ADA, "Ada"]])),
    send: (frame) => {
      if (frame.type === "dm") sent.push({ id: frame.id!, at: Date.now() });
      if (sent.length === 3) resent.resolve();
      return true;
    },
    retryEveryMs: 20,
  });
  outbox.reconnected();
  const write = (id: string) => {
    conversations.value = addOutgoing(conversations.value, { me: ME, peerId: ADA, peerName: "", text: id, id, at: 1 });
    outbox.send(ADA, id, id);
  };
  const delivery = (id: string) =>
    conversations.value.get(ADA)?.messages.find((message) => message.id === id)?.delivery;
  write("m1");
  assert.equal(delivery("m1"), "sent");
  assert.equal(outbox.rateLimited("m1"), true);
  assert.equal(delivery("m1"), "sending", "back in the queue, not failed");
  write("m2");
  assert.equal(delivery("m2"), "sending", "written during the pause: queued behind m1");
  // A roster update flushes the queue too, as the page does on every presence frame: the pause holds.
  outbox.flush();
  assert.deepEqual(sent.map((s) => s.id), ["m1"]);
  await resent.promise;
  assert.deepEqual(sent.map((s) => s.id), ["m1", "m1", "m2"]);
  assert.ok(sent[1].at - sent[0].at >= 15, `sent again after the pause, not at once (${sent[1].at - sent[0].at} ms)`);
  assert.deepEqual([delivery("m1"), delivery("m2")], ["sent", "sent"]);
  assert.equal(outbox.rateLimited("unknown"), false, "an id that is not a message of mine waiting is left alone");
  outbox.close();
});
