import assert from "node:assert/strict";
import { TypingSignal } from "./typing.ts";

const A = "peer-a";
const B = "peer-b";

function setup() {
  const sent: string[] = [];
  let now = 0;
  const typing = new TypingSignal(
    (peer, state) => sent.push(`${state}:${peer}`),
    { startEveryMs: 3000, idleMs: 50 },
    () => now,
  );
  return { sent, typing, advance: (ms: number) => (now += ms) };
}

Deno.test("ui - typing sends one start per interval however fast the keystrokes", () => {
  const { sent, typing, advance } = setup();
  for (let i = 0; i < 40; i++) {
    typing.input(A);
    advance(100);
  }
  assert.deepEqual(sent, [`start:${A}`, `start:${A}`], "4 s of typing: a start at 0 s and at 3 s");
  typing.reset();
});

Deno.test("ui - typing stops after a pause, once", async () => {
  const { sent, typing } = setup();
  typing.input(A);
  await new Promise((resolve) => setTimeout(resolve, 120));
  assert.deepEqual(sent, [`start:${A}`, `stop:${A}`]);
  typing.stop();
  assert.equal(sent.length, 2);
});

Deno.test("ui - typing to another peer stops the first; a reset sends nothing", () => {
  const { sent, typing } = setup();
  typing.input(A);
  typing.input(B);
  assert.deepEqual(sent, [`start:${A}`, `stop:${A}`, `start:${B}`]);
  typing.reset();
  typing.stop();
  assert.equal(sent.length, 3);
  typing.input(B);
  assert.equal(sent.at(-1), `start:${B}`, "after a reset the next keystroke starts again");
  typing.reset();
});
