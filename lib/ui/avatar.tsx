/**
 * A round avatar with the initials of a name on the colour of an id, and an
 * optional online dot. Decorative: the name is always said next to it.
 *
 * @example
 * ```tsx
 * <Avatar userId={peer.user_id} name={peer.name} online />
 * ```
 *
 * @module
 */
import { avatarTone, initials } from "../client/avatar.ts";

const SIZES = {
  sm: "size-7 text-[11px]",
  md: "size-10 text-sm",
  lg: "size-12 text-base",
} as const;

/** Props of {@link Avatar}. */
export interface AvatarProps {
  userId: string;
  name: string;
  size?: keyof typeof SIZES;
  /** Shows a green (online) or grey (offline) dot; no dot when undefined. */
  online?: boolean;
}

/** A user's avatar. */
export function Avatar({ userId, name, size = "md", online }: AvatarProps) {
  return (
    <span
      aria-hidden="true"
      class={`relative inline-flex shrink-0 select-none items-center justify-center rounded-full font-semibold text-white ${
        SIZES[size]
      } ${avatarTone(userId)}`}
    >
      {initials(name)}
      {online !== undefined && (
        <span
          class={`absolute -bottom-0.5 -right-0.5 size-3 rounded-full ring-2 ring-white dark:ring-slate-900 ${
            online ? "bg-emerald-500" : "bg-slate-400"
          }`}
        />
      )}
    </span>
  );
}
