import assert from "node:assert/strict";
import { addOutgoing } from "./conversations.ts";
import { CONVERSATIONS_KEY, loadConversations, saveConversations } from "./saved_conversations.ts";
import { MemoryStorage } from "./_test_util.ts";

const ME = "dddddddd-0000-4000-8000-000000000004";
const ADA = "aaaaaaaa-0000-4000-8000-000000000001";

Deno.test("ui - saved conversations come back for the same identity only", () => {
  const storage = new MemoryStorage();
  const conversations = addOutgoing(new Map(), { me: ME, peerId: ADA, peerName: "Ada", text: "hi", id: "m1", at: 1 });
  saveConversations(storage, { me: ME, selected: ADA, conversations });
  const loaded = loadConversations(storage, ME);
  assert.equal(loaded.selected, ADA);
  assert.deepEqual([...loaded.conversations], [...conversations]);
  assert.equal(loadConversations(storage, ADA).conversations.size, 0);
});

Deno.test("ui - unreadable or refused conversation storage reads as empty", () => {
  const storage = new MemoryStorage();
  storage.setItem(CONVERSATIONS_KEY, "[1,");
  assert.equal(loadConversations(storage, ME).conversations.size, 0);
  storage.setItem = () => {
    throw new DOMException("full", "QuotaExceededError");
  };
  saveConversations(storage, { me: ME, selected: null, conversations: new Map() });
  assert.equal(loadConversations(null, ME).selected, null);
});
