import assert from "node:assert/strict";
import { REST_ENDPOINTS, SOCKET_ENDPOINTS } from "../lib/reference/endpoints.ts";
import { CLOSES, HTTP_ERRORS } from "../lib/reference/errors.ts";
import { ERROR_CODES } from "../lib/protocol.ts";
import { dbTest } from "./harness.ts";

/** The text of the row of the limits table whose value cell is `key`. */
function limitCell(html: string, key: string): string {
  const cell = html.match(new RegExp(`data-limit="${key}"[^>]*>([^<]*)<`))?.[1];
  assert.ok(cell !== undefined, `the limits table has ${key}`);
  return cell.replace(/<!-- -->/g, "").replace(/\s+/g, " ").trim();
}

dbTest("docs - the page lists every endpoint, frame and code, and this server's limits", async (server) => {
  const response = await fetch(server.http("/docs"));
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type")!, /^text\/html/);
  const html = await response.text();
  for (const endpoint of REST_ENDPOINTS) assert.ok(html.includes(`${endpoint.path}</span>`), endpoint.path);
  for (const endpoint of SOCKET_ENDPOINTS) assert.ok(html.includes(`id="ws-${endpoint.operationId}"`), endpoint.path);
  for (const code of ERROR_CODES) assert.ok(html.includes(`id="frame-${code}"`), code);
  for (const error of HTTP_ERRORS) assert.ok(html.includes(`id="http-${error.code}"`), error.code);
  for (const close of CLOSES) assert.ok(html.includes(`>${close.reason}<`), close.reason);
  for (const type of ["presence_diff", "typing", "read", "pong"]) assert.ok(html.includes(`&quot;${type}&quot;`), type);
  assert.ok(html.includes('href="/openapi.json"'));

  assert.equal(limitCell(html, "messageMaxChars"), "1,234 characters");
  assert.equal(limitCell(html, "ratePerSec"), "7 frames per second");
  assert.equal(limitCell(html, "maxSocketsPerUser"), "3 sockets");
  assert.equal(limitCell(html, "nameMaxChars"), "32 characters");
  assert.ok(html.includes(`curl -i -X POST '${server.http("/presence/register")}'`), "curl calls this server");
}, { MESSAGE_MAX_CHARS: "1234", RATE_LIMIT_PER_SEC: "7", MAX_SOCKETS_PER_USER: "3" });

dbTest("docs - the page needs no script and no inline style, and examples follow X-Forwarded-Proto", async (server) => {
  const html = await (await fetch(server.http("/docs"), { headers: { "x-forwarded-proto": "https" } })).text();
  assert.doesNotMatch(html, /<script/i, "no JavaScript");
  assert.doesNotMatch(html, /\sstyle=|<style/i, "nothing the CSP would block");
  assert.ok(html.includes(`wss://${new URL(server.http("/")).host}/ws/chat`));
  const head = await fetch(server.http("/docs"), { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), "");
});
