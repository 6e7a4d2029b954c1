import assert from "node:assert/strict";
import type { ChatMessage } from "./conversations.ts";
import { groupMessages } from "./grouping.ts";

const NOON = new Date(2025, 5, 10, 12, 0).getTime();

function message(id: string, from: string, at: number): ChatMessage {
  return { id, wireId: true, from, text: id, at };
}

Deno.test("ui - messages group by sender and time, with a separator per day", () => {
  const yesterday = NOON - 24 * 3_600_000;
  const rows = groupMessages(
    [
      message("1", "ada", yesterday),
      message("2", "ada", NOON - 10 * 60_000),
      message("3", "ada", NOON - 9 * 60_000),
      message("4", "me", NOON - 8 * 60_000),
      message("5", "me", NOON),
      message("6", "ada", NOON + 1000),
    ],
    NOON,
    "en-GB",
  );
  const shape = rows.map((row) =>
    row.kind === "day" ? row.label : `${row.from}:${row.messages.map((message) => message.id).join(",")}`
  );
  assert.deepEqual(shape, ["Yesterday", "ada:1", "Today", "ada:2,3", "me:4", "me:5", "ada:6"]);
  assert.equal(new Set(rows.map((row) => row.key)).size, rows.length, "row keys are unique");
});

Deno.test("ui - an empty conversation has no rows", () => {
  assert.deepEqual(groupMessages([], NOON), []);
});
