import assert from "node:assert/strict";
import { generateManifest, listModules } from "./manifest_gen.ts";

const root = new URL("../../", import.meta.url);

Deno.test("manifest - fresh.gen.ts lists every route and island on disk", async () => {
  const expected = generateManifest(await listModules(root, "routes"), await listModules(root, "islands"));
  const actual = await Deno.readTextFile(new URL("fresh.gen.ts", root));
  assert.equal(actual, expected, "fresh.gen.ts is stale; run `deno task build`");
});

Deno.test("manifest - tests beside routes are not routes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/routes/api`, { recursive: true });
    await Deno.writeTextFile(`${dir}/routes/api/item.ts`, "");
    await Deno.writeTextFile(`${dir}/routes/api/item_test.ts`, "");
    await Deno.writeTextFile(`${dir}/routes/readme.md`, "");
    assert.deepEqual(await listModules(new URL(`file://${dir}/`), "routes"), ["./routes/api/item.ts"]);
    assert.deepEqual(await listModules(new URL(`file://${dir}/`), "islands"), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
