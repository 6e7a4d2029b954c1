import assert from "node:assert/strict";
import { sha256Hex } from "./_util.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("sha256Hex - the digest of the chunks joined, wherever they are split", async () => {
  const abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  assert.equal(await sha256Hex(bytes("abc")), abc);
  assert.equal(await sha256Hex(bytes("a"), bytes(""), bytes("bc")), abc);
  assert.equal(await sha256Hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
});
