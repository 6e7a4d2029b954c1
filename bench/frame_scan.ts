/**
 * Reads the one field the load generator needs from a chat frame without
 * parsing it: the benchmark's DMs carry a decimal sequence number as their
 * `id`, and at thousands of frames a second `JSON.parse` would cost the
 * generator CPU time it shares with the server under test.
 *
 * The string search is sound on JSON: inside a string value every `"` is
 * escaped, so `"id":"` and `"type":"dm"` can only occur as keys and values.
 *
 * @example
 * ```ts
 * scanDmSeq('{"type":"dm","from":"a","to":"b","text":"hi","timestamp":1,"id":"42"}'); // 42
 * ```
 *
 * @module
 */

const DM_TYPE = '"type":"dm"';
const DM_PREFIX = '{"type":"dm"';
const ID_KEY = '"id":"';
const QUOTE = 0x22;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** The sequence number in a `dm` frame's `id`, or -1 for any other frame. */
export function scanDmSeq(frame: string): number {
  // Servers write `type` first, so the prefix check usually settles it.
  if (!frame.startsWith(DM_PREFIX) && !frame.includes(DM_TYPE)) return -1;
  // The id is usually the last field, so search from the end.
  const at = frame.lastIndexOf(ID_KEY);
  if (at < 0) return -1;
  let seq = 0;
  let i = at + ID_KEY.length;
  const start = i;
  for (; i < frame.length; i++) {
    const code = frame.charCodeAt(i);
    if (code === QUOTE) break;
    if (code < DIGIT_0 || code > DIGIT_9) return -1;
    seq = seq * 10 + (code - DIGIT_0);
  }
  return i === start || i === frame.length ? -1 : seq;
}
