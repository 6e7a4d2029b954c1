import assert from "node:assert/strict";
import { z } from "zod";
import { loadConfig } from "../../fresh.config.ts";
import { REST_ENDPOINTS, SOCKET_ENDPOINTS } from "./endpoints.ts";
import { HTTP_ERRORS } from "./errors.ts";
import { openApiDocument } from "./openapi.ts";
import { REFERENCE_SCHEMAS, type SchemaName } from "./schemas.ts";

type Json = Record<string, unknown>;

const document = JSON.parse(JSON.stringify(openApiDocument(loadConfig({ MESSAGE_MAX_CHARS: "321" })))) as Json;
const components = document.components as Record<string, Record<string, Json>>;

/** A validator made from the document's own JSON Schema of a component, not from the zod schema behind it. */
function documentSchema(name: string): z.ZodType {
  const defs = JSON.parse(JSON.stringify(components.schemas).replaceAll("#/components/schemas/", "#/$defs/"));
  return z.fromJSONSchema({ $ref: `#/$defs/${name}`, $defs: defs });
}

/** Every value of `key` anywhere in `value`. */
function* valuesOf(value: unknown, key: string): Generator<unknown> {
  if (typeof value !== "object" || value === null) return;
  for (const [k, v] of Object.entries(value)) {
    if (k === key) yield v;
    yield* valuesOf(v, key);
  }
}

function resolve(pointer: string): unknown {
  return pointer.slice(2).split("/").reduce<unknown>((node, part) => (node as Json | undefined)?.[part], document);
}

Deno.test("openapi - an OpenAPI 3.1.0 document whose every $ref resolves", () => {
  assert.equal(document.openapi, "3.1.0");
  assert.equal((document.info as Json).title, "Quick Chat");
  const refs = [...valuesOf(document, "$ref")] as string[];
  assert.ok(refs.length > 50);
  for (const ref of refs) assert.notEqual(resolve(ref), undefined, `${ref} resolves`);
  const operationIds = [...valuesOf(document.paths, "operationId")];
  assert.equal(new Set(operationIds).size, operationIds.length, "operation ids are unique");
  for (const schema of Object.values(components.schemas)) {
    assert.equal(schema.$schema, undefined, "components carry no $schema of their own");
    assert.equal(schema.$id, undefined, "components carry no $id of their own");
  }
});

Deno.test("openapi - every example matches its schema, in zod and in the document", () => {
  const check = (name: SchemaName, example: unknown, where: string) => {
    assert.ok(REFERENCE_SCHEMAS[name].schema.safeParse(example).success, `${where} matches ${name} (zod)`);
    assert.ok(documentSchema(name).safeParse(example).success, `${where} matches ${name} (document)`);
  };
  for (const endpoint of REST_ENDPOINTS) {
    if (endpoint.body) check(endpoint.body.schema, endpoint.body.example, `${endpoint.path} body`);
    for (const response of endpoint.responses) {
      if (response.schema) check(response.schema, response.example, `${endpoint.path} ${response.status}`);
    }
  }
  for (const endpoint of SOCKET_ENDPOINTS) {
    for (const frame of [...endpoint.frames.send, ...endpoint.frames.receive]) {
      check(frame.schema, frame.example, `${endpoint.path} ${frame.schema}`);
    }
    for (const frame of endpoint.frames.send) check(endpoint.clientSchema, frame.example, endpoint.path);
    for (const frame of endpoint.frames.receive) check(endpoint.serverSchema, frame.example, endpoint.path);
  }
  for (const error of HTTP_ERRORS) check("HttpErrorBody", { error: error.code, detail: error.detail }, error.code);
});

Deno.test("openapi - the frame schemas refuse what the server never sends", () => {
  const serverFrame = documentSchema("ChatServerFrame");
  const base = { type: "dm", from: crypto.randomUUID(), to: crypto.randomUUID(), text: "hi", timestamp: 1 };
  assert.ok(serverFrame.safeParse(base).success);
  for (
    const bad of [{ ...base, timestamp: undefined }, { ...base, from: "ada" }, {
      type: "error",
      code: "NOPE",
      detail: "",
    }]
  ) {
    assert.equal(serverFrame.safeParse(bad).success, false, JSON.stringify(bad));
  }
});

Deno.test("openapi - the configured limits are in the schemas and in x-limits", () => {
  const dm = documentSchema("ClientDmFrame");
  const frame = { type: "dm", to: crypto.randomUUID(), text: "x".repeat(321) };
  assert.ok(dm.safeParse(frame).success);
  assert.equal(dm.safeParse({ ...frame, text: "x".repeat(322) }).success, false);
  const limits = document["x-limits"] as Record<string, { value: number; env?: string }>;
  assert.deepEqual(limits.messageMaxChars, {
    ...limits.messageMaxChars,
    value: 321,
    env: "MESSAGE_MAX_CHARS",
  });
});

Deno.test("openapi - each socket is a GET answered with 101, with its frames in x-websocket", () => {
  const paths = document.paths as Record<string, Record<string, Json>>;
  for (const endpoint of SOCKET_ENDPOINTS) {
    const operation = paths[endpoint.path].get;
    assert.ok((operation.responses as Json)[101], `${endpoint.path} answers 101`);
    const socket = operation["x-websocket"] as Record<string, Json[] | Json>;
    assert.deepEqual(socket.clientFrames, { $ref: `#/components/schemas/${endpoint.clientSchema}` });
    assert.deepEqual(socket.serverFrames, { $ref: `#/components/schemas/${endpoint.serverSchema}` });
    assert.deepEqual(
      (socket.closeCodes as Json[]).map((close) => `${close.code} ${close.reason}`).sort(),
      [
        "1001 SERVER_SHUTDOWN",
        "1008 LOGGED_OUT",
        "1008 RATE_LIMITED",
        "1008 SLOW_CONSUMER",
        "1008 TOO_MANY_CONNECTIONS",
        "1008 UNAUTHORIZED",
        "1009 MESSAGE_TOO_LARGE",
      ],
    );
  }
});
