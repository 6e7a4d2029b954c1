import assert from "node:assert/strict";
import { signal } from "@preact/signals";
import { App, type Manifest } from "./app.ts";
import type { AppProps, Context, PageProps } from "./context.ts";
import { HttpError } from "./http_error.ts";
import { parse } from "./jsonify/parse.ts";
import type { BuildOutput } from "./build_output.ts";

const info = { remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 1 } } as Deno.ServeHandlerInfo;

function Greeter({ name }: { name: string }) {
  return <p class="greeter">Hello {name}</p>;
}
function Outer({ label }: { label: string }) {
  return (
    <section>
      {label}
      <Greeter name="inner" />
    </section>
  );
}

const client = {
  boot: "/_fresh/js/b1/boot.js",
  islands: { "./islands/Greeter.tsx": "/_fresh/js/b1/Greeter.js", "./islands/Outer.tsx": "/_fresh/js/b1/Outer.js" },
};
const build = { manifest: { client, css: {}, files: {}, buildId: "b1", inputHash: "" }, assets: new Map() };

function layout({ Component }: AppProps) {
  return (
    <html>
      <head>
        <title>t</title>
      </head>
      <body>
        <div id="layout">
          <Component />
        </div>
      </body>
    </html>
  );
}

type TestState = { trail: string[] };

const manifest: Manifest = {
  routes: {
    "./routes/_app.tsx": { default: layout },
    "./routes/_404.tsx": { default: ({ url }: PageProps) => <h1>Missing {url.pathname}</h1> },
    "./routes/_middleware.ts": {
      handler: async (ctx: Context<TestState>) => {
        ctx.state.trail.push("root");
        const response = await ctx.next();
        response.headers.set("x-trail", ctx.state.trail.join(","));
        return response;
      },
    },
    "./routes/api/_middleware.ts": {
      handler: (ctx: Context<TestState>) => {
        ctx.state.trail.push("api");
        return ctx.next();
      },
    },
    "./routes/index.tsx": { default: () => <h1>Home</h1> },
    "./routes/api/items/[id].ts": {
      handler: {
        GET: (ctx: Context<TestState>) => Response.json({ id: ctx.params.id, trail: ctx.state.trail }),
        DELETE: () => new Response(null, { status: 204 }),
      },
    },
    "./routes/api/fail.ts": {
      handler: {
        POST: () => {
          throw new HttpError(400, 'Field "name" is required', "INVALID_PAYLOAD");
        },
        GET: () => {
          throw new Error("a bug");
        },
      },
    },
    "./routes/greet/[name].tsx": {
      handler: { GET: (ctx: Context<TestState>) => ctx.render({ name: ctx.params.name }) },
      default: ({ data }: PageProps<{ name: string }>) => <Greeter name={data.name} />,
    },
    "./routes/nested.tsx": { default: () => <Outer label="outer" /> },
    "./routes/shared.tsx": {
      default: () => {
        const shared = signal(5);
        return (
          <>
            <Greeter name={shared as unknown as string} />
            <Greeter name={shared as unknown as string} />
          </>
        );
      },
    },
    "./routes/static.tsx": { default: () => <p>no islands here</p> },
  },
  islands: {
    "./islands/Greeter.tsx": { default: Greeter },
    "./islands/Outer.tsx": { default: Outer },
  },
};

const app = new App<TestState>({ build: build as BuildOutput, state: () => ({ trail: [] }) }).fsRoutes(manifest);
const handle = app.handler();

function request(path: string, init?: RequestInit) {
  return handle(new Request(`http://localhost${path}`, init), info);
}

function islandState(html: string): unknown {
  const match = /<script id="__FRSH_STATE" type="application\/json">(.*?)<\/script>/.exec(html);
  assert.ok(match, "the page has a props script");
  return parse(match[1]);
}

Deno.test("app - pages render inside _app as a full document", async () => {
  const response = await request("/");
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
  const html = await response.text();
  assert.ok(html.startsWith("<!DOCTYPE html><html>"), html);
  assert.match(html, /<div id="layout"><h1>Home<\/h1><\/div>/);
});

Deno.test("app - middlewares run root first, then by folder, and see the response", async () => {
  const response = await request("/api/items/42");
  assert.deepEqual(await response.json(), { id: "42", trail: ["root", "api"] });
  assert.equal(response.headers.get("x-trail"), "root,api");
  const page = await request("/");
  assert.equal(page.headers.get("x-trail"), "root");
});

Deno.test("app - an unsupported method gets 405 with Allow", async () => {
  const response = await request("/api/items/1", { method: "POST" });
  assert.equal(response.status, 405);
  assert.equal(response.headers.get("allow"), "GET, HEAD, DELETE");
  const body = await response.json();
  assert.equal(body.error, "METHOD_NOT_ALLOWED");
  assert.match(body.detail, /POST is not allowed/);
  assert.equal((await request("/", { method: "PUT" })).status, 405);
});

Deno.test("app - HEAD answers like GET without a body", async () => {
  const response = await request("/api/items/3", { method: "HEAD" });
  assert.equal(response.status, 200);
  assert.equal(await response.text(), "");
});

Deno.test("app - HttpError becomes JSON with its code, other errors a bare 500", async () => {
  const bad = await request("/api/fail", { method: "POST" });
  assert.equal(bad.status, 400);
  assert.deepEqual(await bad.json(), { error: "INVALID_PAYLOAD", detail: 'Field "name" is required' });
  const originalError = console.error;
  console.error = () => {};
  try {
    const bug = await request("/api/fail");
    assert.equal(bug.status, 500);
    assert.deepEqual(await bug.json(), { error: "INTERNAL_SERVER_ERROR", detail: "Internal Server Error" });
  } finally {
    console.error = originalError;
  }
});

Deno.test("app - mapError turns a known failure into its status", async () => {
  const mapped = new App<TestState>({
    state: () => ({ trail: [] }),
    mapError: (error) => error instanceof Deno.errors.ConnectionRefused ? new HttpError(503, "Try later") : undefined,
  }).fsRoutes({
    routes: {
      "./routes/down.ts": {
        handler: () => {
          throw new Deno.errors.ConnectionRefused("db");
        },
      },
    },
    islands: {},
  });
  const response = await mapped.handler()(new Request("http://localhost/down"), info);
  assert.equal(response.status, 503);
  assert.deepEqual(await response.json(), { error: "SERVICE_UNAVAILABLE", detail: "Try later" });
});

Deno.test("app - reportError hears of the failures that became a 500, not of the mapped ones", async () => {
  const reported: string[] = [];
  const app = new App<TestState>({
    state: () => ({ trail: [] }),
    mapError: (error) => error instanceof Deno.errors.ConnectionRefused ? new HttpError(503, "Try later") : undefined,
    reportError: (error, req) => reported.push(`${new URL(req.url).pathname}: ${(error as Error).message}`),
  }).fsRoutes({
    routes: {
      "./routes/down.ts": {
        handler: () => {
          throw new Deno.errors.ConnectionRefused("db");
        },
      },
      "./routes/bug.ts": {
        handler: () => {
          throw new TypeError("oops");
        },
      },
    },
    islands: {},
  });
  const handle = app.handler();
  assert.equal((await handle(new Request("http://localhost/down"), info)).status, 503);
  assert.equal((await handle(new Request("http://localhost/bug?token=secret"), info)).status, 500);
  assert.deepEqual(reported, ["/bug: oops"]);
});

Deno.test("app - unknown paths get the _404 page for browsers and JSON otherwise", async () => {
  const page = await request("/no/such/page", { headers: { accept: "text/html" } });
  assert.equal(page.status, 404);
  assert.match(await page.text(), /<h1>Missing \/no\/such\/page<\/h1>/);
  const api = await request("/no/such/page");
  assert.equal(api.status, 404);
  assert.equal((await api.json()).error, "NOT_FOUND");
});

Deno.test("app - islands get markers, props and a nonce'd boot script matching the CSP", async () => {
  const response = await request("/greet/%3C%2Fscript%3E%3Cscript%3Ealert(1)");
  const html = await response.text();
  assert.match(html, /<!--frsh:island:Greeter:0--><p class="greeter">Hello &lt;\/script>/);
  assert.match(html, /<!--\/frsh:island-->/);
  assert.equal(html.match(/<\/script>/g)?.length, 2, "the name cannot close the props script");
  assert.deepEqual(islandState(html), [{ name: "</script><script>alert(1)" }]);
  const nonce = /<script type="module" nonce="([^"]+)">/.exec(html)?.[1];
  assert.ok(nonce);
  assert.ok(response.headers.get("content-security-policy")!.includes(`script-src 'self' 'nonce-${nonce}'`));
  assert.match(html, /import Greeter from"\/_fresh\/js\/b1\/Greeter.js"/);
});

Deno.test("app - an island inside an island is rendered by the outer one only", async () => {
  const html = await (await request("/nested")).text();
  assert.equal(html.match(/frsh:island:/g)?.length, 1);
  assert.match(html, /frsh:island:Outer:0-->.*<p class="greeter">Hello inner<\/p>/);
  assert.deepEqual(islandState(html), [{ label: "outer" }]);
});

Deno.test("app - two islands given one signal share it in the serialized props", async () => {
  const html = await (await request("/shared")).text();
  const json = /<script id="__FRSH_STATE" type="application\/json">(.*?)<\/script>/.exec(html)![1];
  const [a, b] = parse(json, { Signal: (value) => signal(value) }) as { name: unknown }[];
  assert.equal(a.name, b.name);
});

Deno.test("app - a page without islands ships no script", async () => {
  const html = await (await request("/static")).text();
  assert.ok(!html.includes("<script"), html);
});

Deno.test("app - an island rendered without a client build is a clear error", async () => {
  const bare = new App<TestState>({ build: null, state: () => ({ trail: [] }) }).fsRoutes({
    routes: { "./routes/index.tsx": { default: () => <Greeter name="x" /> } },
    islands: {},
  });
  const originalError = console.error;
  const logged: unknown[] = [];
  console.error = (error: unknown) => logged.push(error);
  try {
    const response = await bare.handler()(new Request("http://localhost/"), info);
    assert.equal(response.status, 500);
    assert.match(String(logged[0]), /no client build is loaded; run `deno task build`/);
  } finally {
    console.error = originalError;
  }
});
