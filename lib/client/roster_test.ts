import assert from "node:assert/strict";
import { applyPresence, filterPeers, listPeers, type Roster } from "./roster.ts";

const A = "aaaaaaaa-0000-4000-8000-000000000001";
const B = "bbbbbbbb-0000-4000-8000-000000000002";
const C = "cccccccc-0000-4000-8000-000000000003";
const ME = "dddddddd-0000-4000-8000-000000000004";

Deno.test("ui - a snapshot replaces the roster and diffs join, rename and leave", () => {
  let roster: Roster = new Map([[C, "Gone"]]);
  roster = applyPresence(roster, {
    type: "presence",
    users: [{ user_id: A, name: "Ada" }, { user_id: ME, name: "Me" }],
  });
  assert.deepEqual([...roster], [[A, "Ada"], [ME, "Me"]]);
  const before = roster;
  roster = applyPresence(roster, {
    type: "presence_diff",
    joins: [{ user_id: B, name: "Bob" }, { user_id: A, name: "Ada L." }],
    leaves: [ME],
  });
  assert.deepEqual([...roster], [[A, "Ada L."], [B, "Bob"]]);
  assert.equal(before.size, 2, "the previous roster is left untouched");
});

Deno.test("ui - peers leave me out and put recent conversations first, then names in order", () => {
  const roster: Roster = new Map([[ME, "Me"], [A, "zoe"], [B, "Émile"], [C, "adam"]]);
  assert.deepEqual(listPeers(roster, ME, new Map()).map((peer) => peer.name), ["adam", "Émile", "zoe"]);
  const activity = new Map([[A, { at: 10, peerName: "zoe" }], [B, { at: 20, peerName: "Émile" }]]);
  assert.deepEqual(listPeers(roster, ME, activity).map((peer) => peer.name), ["Émile", "zoe", "adam"]);
});

Deno.test("ui - someone I have a conversation with stays listed, as offline, after they leave", () => {
  const roster: Roster = new Map([[ME, "Me"], [C, "adam"]]);
  const activity = new Map([[A, { at: 10, peerName: "zoe" }], [C, { at: 5, peerName: "adam" }]]);
  const peers = listPeers(roster, ME, activity);
  assert.deepEqual(peers.map(({ name, online }) => ({ name, online })), [
    { name: "zoe", online: false },
    { name: "adam", online: true },
  ]);
  assert.deepEqual(filterPeers(peers, "ZOE").map((peer) => peer.user_id), [A], "offline peers can be searched");
  assert.deepEqual(listPeers(roster, ME, new Map()).map((peer) => peer.name), ["adam"], "no conversation, not listed");
});

Deno.test("ui - search ignores case and accents", () => {
  const roster: Roster = new Map([[A, "Zoë Otter"], [B, "Bob"], [C, "ZOE"]]);
  const peers = listPeers(roster, null, new Map());
  assert.deepEqual(filterPeers(peers, " zoe ").map((peer) => peer.user_id), [C, A]);
  assert.deepEqual(filterPeers(peers, "OTT").map((peer) => peer.name), ["Zoë Otter"]);
  assert.equal(filterPeers(peers, "").length, 3);
  assert.equal(filterPeers(peers, "nobody").length, 0);
});
