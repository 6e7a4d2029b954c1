/**
 * What an avatar shows without images: the initials of a display name on a
 * colour derived from the user id, so a person keeps their colour when they
 * rename and two people with one name still look different.
 *
 * @example
 * ```ts
 * initials("Amber Otter"); // "AO"
 * avatarTone("6f1c…");     // "bg-teal-700"
 * ```
 *
 * @module
 */

/**
 * Background classes with white text at a readable contrast, listed in full
 * so that Tailwind finds them (`@source "../lib"` in static/styles.css).
 */
export const AVATAR_TONES = [
  "bg-rose-600",
  "bg-orange-700",
  "bg-amber-700",
  "bg-lime-700",
  "bg-emerald-700",
  "bg-teal-700",
  "bg-cyan-700",
  "bg-sky-700",
  "bg-blue-600",
  "bg-indigo-600",
  "bg-violet-600",
  "bg-purple-600",
  "bg-fuchsia-700",
  "bg-pink-600",
] as const;

/** Up to two initials of a name: the first letters of its first two words, upper-cased. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return "?";
  const first = (word: string) => Array.from(word)[0] ?? "";
  const letters = words.length === 1 ? Array.from(words[0]).slice(0, 1).join("") : first(words[0]) + first(words[1]);
  return letters.toLocaleUpperCase();
}

/** The avatar background class of a user id: a stable FNV-1a hash picks one of {@link AVATAR_TONES}. */
export function avatarTone(userId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return AVATAR_TONES[(hash >>> 0) % AVATAR_TONES.length];
}
