import assert from "node:assert/strict";
import { RemoteChat } from "./remote_chat.ts";

Deno.test("remote chat - a user is reachable while any instance holds a chat socket", () => {
  const remote = new RemoteChat();
  assert.equal(remote.instancesOf("ada"), undefined);
  remote.set("ada", "i1", true);
  remote.set("ada", "i2", true);
  assert.deepEqual([...remote.instancesOf("ada") ?? []], ["i1", "i2"]);
  remote.set("ada", "i1", false);
  assert.deepEqual([...remote.instancesOf("ada") ?? []], ["i2"]);
  remote.set("ada", "i2", false);
  assert.equal(remote.instancesOf("ada"), undefined, "offline once the last instance closes");
});

Deno.test("remote chat - a dead instance takes its users with it and no one else", () => {
  const remote = new RemoteChat();
  remote.set("ada", "i1", true);
  remote.set("bob", "i1", true);
  remote.set("bob", "i2", true);
  remote.forgetInstance("i1");
  assert.equal(remote.instancesOf("ada"), undefined);
  assert.deepEqual([...remote.instancesOf("bob") ?? []], ["i2"]);
});

Deno.test("remote chat - locations read from the tables replace the announced ones", () => {
  const remote = new RemoteChat();
  remote.set("ada", "i1", true);
  remote.replace([{ user_id: "bob", instance_id: "i3" }]);
  assert.equal(remote.instancesOf("ada"), undefined);
  assert.deepEqual([...remote.instancesOf("bob") ?? []], ["i3"]);
});
