import assert from "node:assert/strict";
import { clockTime, dayLabel, shortAge } from "./time_format.ts";

const NOON = new Date(2025, 5, 10, 12, 0).getTime();

Deno.test("ui - clock times are short", () => {
  assert.equal(clockTime(new Date(2025, 5, 10, 14, 5).getTime(), "en-GB"), "14:05");
  assert.equal(clockTime(new Date(2025, 5, 10, 14, 5).getTime(), "en-US"), "2:05 PM");
});

Deno.test("ui - day labels say today, yesterday, or the date", () => {
  assert.equal(dayLabel(new Date(2025, 5, 10, 0, 1).getTime(), NOON, "en-GB"), "Today");
  assert.equal(dayLabel(new Date(2025, 5, 9, 23, 59).getTime(), NOON, "en-GB"), "Yesterday");
  assert.equal(dayLabel(new Date(2025, 5, 3, 9).getTime(), NOON, "en-GB"), "Tue 3 Jun");
  assert.equal(dayLabel(new Date(2024, 11, 31, 9).getTime(), NOON, "en-GB"), "Tue, 31 Dec 2024");
});

Deno.test("ui - ages in the list are compact", () => {
  assert.equal(shortAge(NOON - 20_000, NOON), "now");
  assert.equal(shortAge(NOON + 5_000, NOON), "now", "a server clock slightly ahead is still now");
  assert.equal(shortAge(NOON - 5 * 60_000, NOON), "5 min");
  assert.equal(shortAge(NOON - 2 * 3_600_000, NOON), "2 h");
  assert.equal(shortAge(new Date(2025, 5, 9, 23).getTime(), NOON, "en-GB"), "9 Jun");
});
