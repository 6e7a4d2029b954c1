import assert from "node:assert/strict";
import { type Signal, signal } from "@preact/signals";
import { parse } from "./parse.ts";
import { stringify } from "./stringify.ts";

Deno.test("jsonify - JSON values and what JSON loses survive a round trip", () => {
  const value = {
    text: "hi",
    n: 1.5,
    yes: true,
    none: null,
    missing: undefined,
    odd: [NaN, Infinity, -Infinity, -0],
    big: 12345678901234567890n,
    when: new Date("2026-01-02T03:04:05.678Z"),
    link: new URL("https://example.com/a?b=c"),
    map: new Map<unknown, unknown>([["k", 1], [2, "v"]]),
    set: new Set(["a", "b"]),
  };
  const revived = parse(stringify(value)) as typeof value;
  assert.deepEqual(revived, value);
  assert.ok("missing" in revived);
  assert.ok(Object.is(revived.odd[3], -0));
});

Deno.test("jsonify - text that closes a script stays inside it", () => {
  const text = `</script><script>alert(1)</script><!-- \u2028 & >`;
  const json = stringify({ text });
  assert.ok(!json.includes("<"), json);
  assert.ok(!json.includes(">"), json);
  assert.ok(!json.includes("\u2028"));
  assert.deepEqual(parse(json), { text });
});

Deno.test("jsonify - shared references and cycles stay shared", () => {
  const shared = { n: 1 };
  const cyclic: Record<string, unknown> = { shared, again: shared };
  cyclic.self = cyclic;
  const revived = parse(stringify(cyclic)) as Record<string, unknown>;
  assert.equal(revived.shared, revived.again);
  assert.equal(revived.self, revived);
});

Deno.test("jsonify - one signal given to two islands is revived as one signal", () => {
  const count = signal(3);
  const json = stringify([{ count }, { count }]);
  const [a, b] = parse(json, { Signal: signal }) as { count: Signal<number> }[];
  assert.equal(a.count.value, 3);
  assert.equal(a.count, b.count);
  a.count.value = 4;
  assert.equal(b.count.value, 4);
});

Deno.test("jsonify - a __proto__ key is data, not a prototype", () => {
  const value = JSON.parse('{"__proto__": {"polluted": true}}');
  const revived = parse(stringify(value)) as Record<string, unknown>;
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(revived), Object.prototype);
  assert.deepEqual(Object.keys(revived), ["__proto__"]);
});

Deno.test("jsonify - functions and class instances are refused with a clear message", () => {
  assert.throws(() => stringify({ f: () => 1 }), /Cannot serialize a function/);
  class Point {}
  assert.throws(() => stringify({ p: new Point() }), /instance of "Point"/);
});
