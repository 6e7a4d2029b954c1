import assert from "node:assert/strict";
import { NAME_MAX } from "../protocol.ts";
import { randomName } from "./names.ts";

Deno.test("ui - random names are two capitalised words within the name limit", () => {
  for (const value of [0, 0.25, 0.5, 0.999999]) {
    const name = randomName(() => value);
    assert.match(name, /^[A-Z][a-z]+ [A-Z][a-z]+$/);
    assert.ok(name.length <= NAME_MAX);
  }
});

Deno.test("ui - random names vary", () => {
  const names = new Set(Array.from({ length: 50 }, () => randomName()));
  assert.ok(names.size > 10, `only ${names.size} distinct names`);
});
