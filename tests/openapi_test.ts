import assert from "node:assert/strict";
import { z } from "zod";
import manifest from "../fresh.gen.ts";
import { pathToPattern } from "../lib/fresh/router.ts";
import { dbTest, type TestServer } from "./harness.ts";

type Json = Record<string, unknown>;
type Document = { openapi: string; paths: Record<string, Record<string, Json>>; components: { schemas: Json } };

async function served(server: TestServer): Promise<Document> {
  const response = await fetch(server.http("/openapi.json"));
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type")!, /^application\/json\b/);
  return JSON.parse(await response.text());
}

/** The document's JSON Schema of a component, as a validator. */
function documentSchema(document: Document, name: string): z.ZodType {
  const defs = JSON.parse(JSON.stringify(document.components.schemas).replaceAll("#/components/schemas/", "#/$defs/"));
  return z.fromJSONSchema({ $ref: `#/$defs/${name}`, $defs: defs });
}

/** The methods each route file that is not a page answers, by URL path. */
function handledRoutes(): Map<string, string[]> {
  const routes = new Map<string, string[]>();
  for (const [key, module] of Object.entries(manifest.routes)) {
    const file = key.replace(/^\.\/routes\//, "");
    if (file.split("/").at(-1)!.startsWith("_") || module.default !== undefined) continue;
    const handler = module.handler;
    const methods = typeof handler === "function" ? ["GET"] : Object.keys(handler ?? {});
    routes.set(pathToPattern(file), methods.map((method) => method.toLowerCase()));
  }
  return routes;
}

dbTest("openapi - served as JSON, an OpenAPI 3.1.0 document built once", async (server) => {
  const first = await fetch(server.http("/openapi.json"));
  const text = await first.text();
  assert.equal(first.headers.get("access-control-allow-origin"), "*");
  const document = JSON.parse(text);
  assert.equal(document.openapi, "3.1.0");
  assert.equal(text, server.server.state.openapi, "the body is the document built at start-up");
  assert.equal(await (await fetch(server.http("/openapi.json"))).text(), text);
});

dbTest("openapi - every REST route is documented, with each method it handles", async (server) => {
  const document = await served(server);
  const routes = handledRoutes();
  assert.ok(routes.size >= 7, [...routes.keys()].join(", "));
  for (const [path, methods] of routes) {
    assert.ok(document.paths[path], `${path} is documented`);
    for (const method of methods) assert.ok(document.paths[path][method], `${method.toUpperCase()} ${path}`);
  }
  const pages = ["/docs"];
  for (const path of Object.keys(document.paths)) {
    assert.ok(routes.has(path) || pages.includes(path), `${path} is served`);
  }
});

dbTest("openapi - the register body schema refuses what the server refuses", async (server) => {
  const schema = documentSchema(await served(server), "RegisterBody");
  const id = () => crypto.randomUUID();
  const bodies: Json[] = [
    { user_id: id(), name: "Ada" },
    { user_id: id(), name: "x".repeat(32) },
    { user_id: id(), name: "x".repeat(33) },
    { user_id: id(), name: "" },
    { user_id: id(), name: "bell\u0007" },
    { user_id: id(), name: "evil\u202egnp.exe" },
    { user_id: id(), name: 42 },
    { user_id: id() },
    { name: "Ada" },
    { user_id: "not-a-uuid", name: "Ada" },
    { user_id: id(), name: "Ada", extra: true },
  ];
  for (const body of bodies) {
    const response = await server.post("/presence/register", body);
    await response.body?.cancel();
    assert.ok(response.status === 200 || response.status === 400, `${response.status} for ${JSON.stringify(body)}`);
    assert.equal(schema.safeParse(body).success, response.status === 200, JSON.stringify(body));
  }
});

dbTest("openapi - what the server sends matches the document's schemas", async (server) => {
  const document = await served(server);
  const ada = await server.register("Ada");
  const bob = await server.register("Bob");
  const register = await server.post("/presence/register", { user_id: crypto.randomUUID(), name: "Cy" });
  assert.ok(documentSchema(document, "RegisterResponse").safeParse(await register.json()).success);
  const health = await (await fetch(server.http("/health"))).json();
  assert.ok(documentSchema(document, "HealthResponse").safeParse(health).success, JSON.stringify(health));
  const refused = await server.post("/presence/register", "{");
  assert.ok(documentSchema(document, "HttpErrorBody").safeParse(await refused.json()).success);

  const [adaChat, bobChat, adaRoster] = [await server.chat(ada), await server.chat(bob), await server.presence(ada)];
  const isType = (type: string) => (frame: Json) => frame.type === type;
  adaChat.send({ type: "dm", to: bob.userId, text: "hi", id: "m-1" });
  await bobChat.next(isType("dm"));
  bobChat.send({ type: "read", to: ada.userId, id: "m-1" });
  await adaChat.next(isType("read"));
  adaChat.send({ type: "typing", to: bob.userId, state: "start" });
  await bobChat.next(isType("typing"));
  adaChat.send({ type: "dm", to: ada.userId, text: "me" });
  await adaChat.next(isType("error"));
  adaChat.send({ type: "ping" });
  await adaChat.next(isType("pong"));
  adaRoster.send({ type: "ping" });
  await adaRoster.next(isType("pong"));
  adaRoster.send({ type: "dm" });
  await adaRoster.next(isType("error"));
  const chatFrame = documentSchema(document, "ChatServerFrame");
  const rosterFrame = documentSchema(document, "PresenceSocketFrame");
  for (const frame of [...adaChat.frames, ...bobChat.frames]) {
    assert.ok(chatFrame.safeParse(frame).success, JSON.stringify(frame));
  }
  for (const frame of adaRoster.frames) assert.ok(rosterFrame.safeParse(frame).success, JSON.stringify(frame));
  assert.deepEqual(
    [...new Set([...adaChat.frames, ...bobChat.frames, ...adaRoster.frames].map((frame) => frame.type))].sort(),
    ["dm", "error", "pong", "presence", "read", "typing"],
  );
  await Promise.all([adaChat.close(), bobChat.close(), adaRoster.close()]);
});
