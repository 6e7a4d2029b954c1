/**
 * How times read in the chat: a short clock time on messages, day
 * separators ("Today", "Yesterday", "Mon 3 Jun"), and compact ages in the
 * list ("now", "5 min", "2 h").
 *
 * @example
 * ```ts
 * clockTime(message.at);          // "14:05" or "2:05 PM", per the browser's locale
 * dayLabel(message.at, Date.now()); // "Yesterday"
 * ```
 *
 * @module
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The clock time of a moment, in the browser's locale. */
export function clockTime(at: number, locale?: string): string {
  return new Date(at).toLocaleTimeString(locale, { hour: "numeric", minute: "2-digit" });
}

/** The full date and time, for a tooltip or a screen reader. */
export function fullTime(at: number, locale?: string): string {
  return new Date(at).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

/** The calendar day of a moment, local time, as a comparable key. */
export function dayKey(at: number): string {
  const date = new Date(at);
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

/** A day separator's label: "Today", "Yesterday", or a short date. */
export function dayLabel(at: number, now: number, locale?: string): string {
  if (dayKey(at) === dayKey(now)) return "Today";
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (dayKey(at) === dayKey(yesterday.getTime())) return "Yesterday";
  const sameYear = new Date(at).getFullYear() === new Date(now).getFullYear();
  return new Date(at).toLocaleDateString(locale, {
    weekday: "short",
    day: "numeric",
    month: "short",
    ...(sameYear ? {} : { year: "numeric" }),
  });
}

/** A compact age for the list: "now", "5 min", "2 h", or the date. */
export function shortAge(at: number, now: number, locale?: string): string {
  const age = Math.max(0, now - at);
  if (age < MINUTE) return "now";
  if (age < HOUR) return `${Math.floor(age / MINUTE)} min`;
  if (age < 24 * HOUR && dayKey(at) === dayKey(now)) return `${Math.floor(age / HOUR)} h`;
  return new Date(at).toLocaleDateString(locale, { day: "numeric", month: "short" });
}
