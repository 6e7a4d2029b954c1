import assert from "node:assert/strict";
import { createIdentity, IDENTITY_KEY, loadIdentity, saveIdentity } from "./identity.ts";
import { MemoryStorage } from "./_test_util.ts";

Deno.test("ui - an identity saved is loaded back", () => {
  const storage = new MemoryStorage();
  assert.equal(loadIdentity(storage), null);
  const identity = createIdentity("Ada");
  saveIdentity(storage, identity);
  assert.deepEqual(loadIdentity(storage), identity);
});

Deno.test("ui - new identities get a UUID and a friendly name", () => {
  const identity = createIdentity();
  assert.match(identity.user_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(identity.name, /^\w+ \w+$/);
  assert.notEqual(createIdentity().user_id, identity.user_id);
});

Deno.test("ui - a corrupt or blocked identity store reads as none", () => {
  const storage = new MemoryStorage();
  storage.setItem(IDENTITY_KEY, "{not json");
  assert.equal(loadIdentity(storage), null);
  storage.setItem(IDENTITY_KEY, JSON.stringify({ user_id: 42, name: "x" }));
  assert.equal(loadIdentity(storage), null);
  const blocked = new MemoryStorage();
  blocked.getItem = () => {
    throw new DOMException("denied", "SecurityError");
  };
  blocked.setItem = blocked.getItem;
  assert.equal(loadIdentity(blocked), null);
  saveIdentity(blocked, createIdentity());
  assert.equal(loadIdentity(null), null);
});
