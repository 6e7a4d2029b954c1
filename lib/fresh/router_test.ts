import assert from "node:assert/strict";
import { pathToPattern, Router } from "./router.ts";

Deno.test("router - file paths become URL patterns", () => {
  assert.equal(pathToPattern("index.tsx"), "/");
  assert.equal(pathToPattern("health.ts"), "/health");
  assert.equal(pathToPattern("presence/register.ts"), "/presence/register");
  assert.equal(pathToPattern("ws/chat.ts"), "/ws/chat");
  assert.equal(pathToPattern("blog/index.tsx"), "/blog");
  assert.equal(pathToPattern("users/[id].tsx"), "/users/:id");
  assert.equal(pathToPattern("files/[...path].ts"), "/files/:path*");
  assert.equal(pathToPattern("(marketing)/about.tsx"), "/about");
  assert.throws(() => pathToPattern("bad/[id.tsx"), /malformed segment "\[id"/);
});

Deno.test("router - static routes win over parameters, parameters over rest", () => {
  const router = new Router<string>();
  router.add("/files/:path*", "rest");
  router.add("/files/:name", "param");
  router.add("/files/readme", "static");
  assert.equal(router.match("/files/readme")?.value, "static");
  assert.deepEqual(router.match("/files/a%20b"), { value: "param", pattern: "/files/:name", params: { name: "a b" } });
  assert.deepEqual(router.match("/files/a/b/c")?.params, { path: "a/b/c" });
});

Deno.test("router - trailing slashes match, unknown paths do not", () => {
  const router = new Router<string>();
  router.add("/", "home");
  router.add("/users/:id", "user");
  assert.equal(router.match("/")?.value, "home");
  assert.equal(router.match("/users/7/")?.params.id, "7");
  assert.equal(router.match("/users"), null);
  assert.equal(router.match("/users/7/posts"), null);
});

Deno.test("router - two routes with one pattern are refused", () => {
  const router = new Router<string>();
  router.add("/users/:id", "a");
  assert.throws(() => router.add("/users/:id", "b"), /share the pattern "\/users\/:id"/);
});
