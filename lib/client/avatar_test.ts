import assert from "node:assert/strict";
import { AVATAR_TONES, avatarTone, initials } from "./avatar.ts";

Deno.test("ui - initials take the first letters of the first two words", () => {
  assert.equal(initials("Amber Otter"), "AO");
  assert.equal(initials("  ada   lovelace byron "), "AL");
  assert.equal(initials("bob"), "B");
  assert.equal(initials("😀 smile"), "😀S");
  assert.equal(initials("   "), "?");
});

Deno.test("ui - an id always gets the same avatar tone, and ids spread over the tones", () => {
  const id = "0b9a4f5e-6c1d-4e55-9a53-3f1f7f0f2b11";
  assert.equal(avatarTone(id), avatarTone(id));
  const tones = new Set(Array.from({ length: 200 }, () => avatarTone(crypto.randomUUID())));
  assert.ok(tones.size > AVATAR_TONES.length / 2);
  for (const tone of tones) assert.ok((AVATAR_TONES as readonly string[]).includes(tone));
});
