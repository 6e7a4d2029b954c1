import assert from "node:assert/strict";
import { loadConfig } from "./fresh.config.ts";

Deno.test("config - defaults serve on port 8000 on every interface", () => {
  assert.deepEqual(loadConfig({}), { port: 8000, host: "0.0.0.0" });
});

Deno.test("config - PORT and HOST come from the environment", () => {
  assert.deepEqual(loadConfig({ PORT: "9001", HOST: "127.0.0.1" }), { port: 9001, host: "127.0.0.1" });
});

Deno.test("config - a bad value stops start-up naming the variable", () => {
  assert.throws(() => loadConfig({ PORT: "eighty" }), /Invalid configuration:\n {2}PORT: /);
  assert.throws(() => loadConfig({ PORT: "70000" }), /PORT/);
});
