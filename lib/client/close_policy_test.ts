import assert from "node:assert/strict";
import { CloseCode } from "../protocol.ts";
import { closeAction } from "./close_policy.ts";

Deno.test("ui - a logout or too many tabs stop reconnecting; every other close reconnects", () => {
  assert.equal(closeAction(CloseCode.PolicyViolation, "LOGGED_OUT"), "logged-out");
  assert.equal(closeAction(CloseCode.PolicyViolation, "TOO_MANY_CONNECTIONS"), "too-many-tabs");
  assert.equal(closeAction(CloseCode.PolicyViolation, "UNAUTHORIZED"), "reconnect");
  assert.equal(closeAction(CloseCode.PolicyViolation, "RATE_LIMITED"), "reconnect");
  assert.equal(closeAction(CloseCode.PolicyViolation, "SLOW_CONSUMER"), "reconnect");
  assert.equal(closeAction(CloseCode.GoingAway, "SERVER_SHUTDOWN"), "reconnect");
  assert.equal(closeAction(CloseCode.MessageTooBig, "MESSAGE_TOO_LARGE"), "reconnect");
  assert.equal(closeAction(1006, ""), "reconnect");
});
