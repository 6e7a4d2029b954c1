import assert from "node:assert/strict";
import { signal } from "@preact/signals";
import { PeerTyping } from "./peer_typing.ts";

Deno.test("ui - a peer's typing shows on start and hides on stop", () => {
  const peers = signal<ReadonlySet<string>>(new Set());
  const typing = new PeerTyping(peers);
  typing.set("ada", "start");
  typing.set("ada", "start");
  assert.deepEqual([...peers.value], ["ada"]);
  const before = peers.value;
  typing.set("bob", "stop");
  assert.equal(peers.value, before, "a stop for someone not typing changes nothing");
  typing.set("ada", "stop");
  assert.deepEqual([...peers.value], []);
});

Deno.test("ui - a peer's typing hides by itself when no stop comes", async () => {
  const peers = signal<ReadonlySet<string>>(new Set());
  const typing = new PeerTyping(peers, 10);
  typing.set("ada", "start");
  const hidden = Promise.withResolvers<void>();
  const stop = peers.subscribe((value) => value.size === 0 && hidden.resolve());
  await hidden.promise;
  stop();
  assert.deepEqual([...peers.value], []);
});
