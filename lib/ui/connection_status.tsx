/**
 * How the connection looks: a small badge that is always there, and a
 * banner with what to do whenever the user is not online; and how it sounds
 * where the badge is out of view.
 *
 * @example
 * ```tsx
 * <ConnectionBadge store={store} />
 * <ConnectionBanner store={store} />
 * ```
 *
 * @module
 */
import { useEffect, useState } from "preact/hooks";
import type { ChatStore, ConnectionState } from "../chat_store.ts";

const BADGES: Record<ConnectionState, { label: string; dot: string }> = {
  connecting: { label: "Connecting…", dot: "bg-amber-400 motion-safe:animate-pulse" },
  online: { label: "Online", dot: "bg-emerald-500" },
  reconnecting: { label: "Reconnecting…", dot: "bg-amber-400 motion-safe:animate-pulse" },
  held: { label: "Waiting to join…", dot: "bg-amber-400 motion-safe:animate-pulse" },
  "logged-out": { label: "Offline", dot: "bg-slate-400" },
  "too-many-tabs": { label: "Paused", dot: "bg-slate-400" },
};

/** The connection state as a dot and a word, announced politely when it changes. */
export function ConnectionBadge({ store }: { store: ChatStore }) {
  const { label, dot } = BADGES[store.connection.value];
  return (
    <p
      role="status"
      class="inline-flex items-center gap-1.5 rounded-full bg-slate-100 px-2.5 py-1 text-xs font-medium text-slate-600 dark:bg-slate-800 dark:text-slate-300"
    >
      <span aria-hidden="true" class={`size-2 rounded-full ${dot}`} />
      {label}
    </p>
  );
}

/**
 * The connection state for screen readers only, announced when it changes,
 * for the conversation on a phone: there the list, and the badge's
 * announcement with it, is hidden. On wider screens the badge is in view, and
 * this is hidden so that nothing is said twice.
 */
export function ConnectionAnnouncer({ store }: { store: ChatStore }) {
  return <p role="status" class="sr-only sm:hidden">{BADGES[store.connection.value].label}</p>;
}

/** What the banner says in each state, and its button's label (none where acting early would not help). */
function banner(store: ChatStore, now: number): { text: string; action?: string } | null {
  switch (store.connection.value) {
    case "reconnecting":
      return {
        text: "Connection lost. Reconnecting… Messages you send will go out once you're back.",
        action: "Retry now",
      };
    case "held": {
      // The server names the wait; trying sooner would only be refused again, so there is nothing to press.
      const seconds = Math.max(1, Math.ceil((store.heldUntil.value - now) / 1000));
      const when = seconds <= 5 ? "in a few seconds" : `in about ${seconds} seconds`;
      return { text: `Lots of people just joined from your network. You'll be let in ${when}; no need to reload.` };
    }
    case "logged-out":
      return { text: "You went offline.", action: "Come back" };
    case "too-many-tabs":
      return { text: "Quick Chat is open in too many tabs. Close a few, then try again.", action: "Try again" };
    default:
      return null;
  }
}

/** What is wrong with the connection and, where it helps, a button to act on it; nothing while connecting or online. */
export function ConnectionBanner({ store, class: className = "" }: { store: ChatStore; class?: string }) {
  const now = useSecondsWhile(store.connection.value === "held");
  const shown = banner(store, now);
  if (shown === null) return null;
  const calm = store.connection.value === "reconnecting" || store.connection.value === "held";
  return (
    <div
      class={`flex flex-wrap items-center gap-x-3 gap-y-2 px-4 py-2.5 text-sm ${
        calm
          ? "bg-amber-50 text-amber-900 dark:bg-amber-950/60 dark:text-amber-100"
          : "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-100"
      } ${className}`}
    >
      <p class="min-w-0 flex-1">{shown.text}</p>
      {shown.action !== undefined && (
        <button
          type="button"
          class="rounded-lg bg-white px-3 py-1 font-medium text-slate-900 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:bg-slate-700 dark:text-white dark:ring-slate-600 dark:hover:bg-slate-600"
          onClick={() => store.reconnect()}
        >
          {shown.action}
        </button>
      )}
    </div>
  );
}

/** The time now, rendered again every second while `active`: what a countdown renders from. */
function useSecondsWhile(active: boolean): number {
  const [, setTicks] = useState(0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setTicks((ticks) => ticks + 1), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return Date.now();
}
