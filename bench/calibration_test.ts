import assert from "node:assert/strict";
import { IDLE_MS, measureCalibration } from "./calibration.ts";
import { formatCalibration } from "./report.ts";

Deno.test("calibration - measures round trips and syncs, and leaves neither its peer nor its file behind", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { roundTripUs, roundTripAfterIdleUs, syncUs } = await measureCalibration(dir);
    // A median of hundreds of loopback round trips is well under a millisecond on any machine; the idle wait
    // itself (IDLE_MS before each) must not be counted in it.
    assert.ok(roundTripUs > 0 && roundTripUs < 1000, `round trip ${roundTripUs} µs`);
    assert.ok(
      roundTripAfterIdleUs > 0 && roundTripAfterIdleUs < IDLE_MS * 1000,
      `after idle ${roundTripAfterIdleUs} µs`,
    );
    assert.ok(syncUs > 0 && syncUs < 1_000_000, `fdatasync ${syncUs} µs`);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("calibration - the report gives the pace in whole microseconds, or says it was not measured", () => {
  assert.equal(
    formatCalibration({ roundTripUs: 61.7, roundTripAfterIdleUs: 264.2, syncUs: 148.5 }),
    `Machine's pace: loopback round trip 62 µs, 264 µs after ${IDLE_MS} ms idle; fdatasync 149 µs`,
  );
  assert.equal(formatCalibration(null), "Machine's pace: not measured");
});
