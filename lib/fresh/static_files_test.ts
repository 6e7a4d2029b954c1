import assert from "node:assert/strict";
import { App } from "./app.ts";
import type { BuildOutput } from "./build_output.ts";
import { staticFiles } from "./static_files.ts";

const info = { remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 1 } } as Deno.ServeHandlerInfo;

async function fixture() {
  const dir = await Deno.makeTempDir();
  const root = new URL(`file://${dir}/static/`);
  await Deno.mkdir(new URL("img/", root), { recursive: true });
  await Deno.writeTextFile(new URL("robots.txt", root), "User-agent: *\n");
  await Deno.writeTextFile(new URL("img/dot.svg", root), "<svg/>");
  await Deno.writeTextFile(new URL("my file.txt", root), "spaced");
  await Deno.writeTextFile(`${dir}/secret.txt`, "do not serve");
  const js = new TextEncoder().encode("export const x = 1;".repeat(50));
  const build: BuildOutput = {
    manifest: {
      buildId: "abc123",
      inputHash: "",
      client: { boot: "", islands: {} },
      css: {},
      files: {},
    },
    assets: new Map([["/_fresh/js/abc123/boot.js", {
      type: "text/javascript; charset=utf-8",
      etag: '"abc123"',
      body: js,
      gzip: new Uint8Array(
        await new Response(new Blob([js]).stream().pipeThrough(new CompressionStream("gzip")))
          .arrayBuffer(),
      ),
    }]]),
  };
  const app = new App({ build }).use(await staticFiles({ root, build }));
  const handle = app.handler();
  return {
    dir,
    get: (path: string, headers?: HeadersInit) => handle(new Request(`http://localhost${path}`, { headers }), info),
  };
}

Deno.test("static files - served with their type and an ETag, 304 when unchanged", async () => {
  const { get, dir } = await fixture();
  try {
    const response = await get("/img/dot.svg");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "image/svg+xml");
    assert.equal(await response.text(), "<svg/>");
    const etag = response.headers.get("etag")!;
    assert.match(etag, /^"[0-9a-f]{16}"$/);
    const again = await get("/img/dot.svg", { "if-none-match": etag });
    assert.equal(again.status, 304);
    assert.equal(await (await get("/my%20file.txt")).text(), "spaced");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("static files - built assets are immutable and gzipped when accepted", async () => {
  const { get, dir } = await fixture();
  try {
    const plain = await get("/_fresh/js/abc123/boot.js");
    assert.equal(plain.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.equal(plain.headers.get("content-encoding"), null);
    const plainText = await plain.text();
    const zipped = await get("/_fresh/js/abc123/boot.js", { "accept-encoding": "gzip, br" });
    assert.equal(zipped.headers.get("content-encoding"), "gzip");
    const body = new Uint8Array(await zipped.arrayBuffer());
    assert.ok(body.length < plainText.length / 4, `${body.length} bytes gzipped`);
    const unzipped = await new Response(new Blob([body]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
    assert.equal(unzipped, plainText);
    assert.equal((await get("/_fresh/js/other/boot.js")).status, 404);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("static files - no path reaches outside static/", async () => {
  const { get, dir } = await fixture();
  try {
    for (
      const path of [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/img/..%2f..%2fsecret.txt",
        "/%2e%2e%5csecret.txt",
        "//etc/passwd",
      ]
    ) {
      const response = await get(path);
      assert.equal(response.status, 404, path);
      assert.ok(!(await response.text()).includes("do not serve"), path);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
