import assert from "node:assert/strict";
import { ERROR_CODES } from "../protocol.ts";
import { describeProblem } from "./problems.ts";

Deno.test("ui - an offline peer is named in the problem", () => {
  assert.equal(describeProblem("PEER_OFFLINE", "User is offline", "Ada"), "Ada was offline, so this wasn't delivered.");
  assert.equal(describeProblem("PEER_OFFLINE", "User is offline", ""), "They were offline, so this wasn't delivered.");
});

Deno.test("ui - every error code reads as a sentence without the server's jargon", () => {
  for (const code of ERROR_CODES) {
    const text = describeProblem(code, 'field "text" must not contain control characters', "Ada");
    assert.match(text, /^[A-Z].*\.$/);
    assert.doesNotMatch(text, /field "|_/);
  }
  assert.equal(describeProblem("UNKNOWN", "", ""), "Something went wrong.");
});
