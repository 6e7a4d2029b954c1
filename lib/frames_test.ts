import assert from "node:assert/strict";
import fc from "fast-check";
import { plainDm } from "./frames.ts";
import { ClientFrame } from "./protocol.ts";

const fields = {
  type: fc.oneof(fc.constant("dm"), fc.constantFrom("typing", "DM", ""), fc.jsonValue()),
  to: fc.oneof(fc.uuid(), fc.uuid().map((id) => id.toUpperCase()), fc.string(), fc.jsonValue()),
  text: fc.oneof(fc.string(), fc.constantFrom("", " ", "\u00a0\n", "hi"), fc.jsonValue()),
  id: fc.oneof(fc.string({ maxLength: 70 }), fc.jsonValue()),
  extra: fc.jsonValue(),
};

Deno.test("frames - the dm fast path accepts only what the schema accepts, with the same result", () => {
  // Frames come from JSON.parse, so the generated ones go through JSON too.
  const frames = fc.record(fields, { requiredKeys: [] }).map((frame) => JSON.parse(JSON.stringify(frame)));
  fc.assert(
    fc.property(frames, (frame) => {
      const quick = plainDm(frame);
      if (quick === null) return;
      const parsed = ClientFrame.safeParse(frame);
      assert.ok(parsed.success, JSON.stringify(frame));
      assert.deepEqual(quick, parsed.data);
    }),
    { numRuns: 20_000 },
  );
});

Deno.test("frames - a well-formed dm takes the fast path", () => {
  const to = crypto.randomUUID();
  assert.deepEqual(plainDm({ type: "dm", to, text: "hello" }), { type: "dm", to, text: "hello" });
  assert.deepEqual(plainDm({ type: "dm", to, text: "hello", id: "m1" }), { type: "dm", to, text: "hello", id: "m1" });
  assert.equal(plainDm({ type: "dm", to: to.toUpperCase(), text: "hello" }), null, "left to the schema");
  assert.equal(plainDm([{ type: "dm", to, text: "x" }]), null);
});
