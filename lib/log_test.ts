import assert from "node:assert/strict";
import { logRequestError } from "./log.ts";

Deno.test("log - a failed request is one JSON line with its path, never its query", () => {
  const original = console.error;
  const lines: string[] = [];
  console.error = (line: string) => lines.push(line);
  try {
    logRequestError(new TypeError("boom"), new Request("http://localhost/ws/chat?me=ada&token=s3cret-token"));
  } finally {
    console.error = original;
  }
  assert.equal(lines.length, 1);
  assert.doesNotMatch(lines[0], /\n/);
  const entry = JSON.parse(lines[0]);
  assert.equal(entry.level, "error");
  assert.equal(entry.event, "http.error");
  assert.equal(entry.method, "GET");
  assert.equal(entry.path, "/ws/chat");
  assert.match(entry.error, /TypeError: boom/);
  assert.doesNotMatch(lines[0], /s3cret-token|me=ada/);
});
