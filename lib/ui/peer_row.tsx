/**
 * One person in the list: avatar with whether they are online, name, what
 * they last said or that they are typing, and how many of their messages I
 * have not read.
 *
 * @example
 * ```tsx
 * <PeerRow store={store} peer={peer} active tabbable />
 * ```
 *
 * @module
 */
import type { ChatStore } from "../chat_store.ts";
import type { Peer } from "../client/roster.ts";
import { shortAge } from "../client/time_format.ts";
import { Avatar } from "./avatar.tsx";

/** Height of a row in pixels: the list places rows by it. */
export const ROW_HEIGHT = 64;

/** Props of {@link PeerRow}. */
export interface PeerRowProps {
  store: ChatStore;
  peer: Peer;
  /** Whether Tab lands on this row (one row of the list is tabbable). */
  tabbable: boolean;
}

/** A button that opens the conversation with a peer. */
export function PeerRow({ store, peer, tabbable }: PeerRowProps) {
  const me = store.me.value?.user_id;
  const conversation = store.conversations.value.get(peer.user_id);
  const last = conversation?.messages.at(-1);
  const unread = conversation?.unread ?? 0;
  const typing = store.typingPeers.value.has(peer.user_id);
  const selected = store.selected.value === peer.user_id;
  return (
    <button
      type="button"
      data-peer={peer.user_id}
      tabIndex={tabbable ? 0 : -1}
      aria-current={selected ? "true" : undefined}
      class={`flex h-16 w-full items-center gap-3 rounded-xl px-3 text-left transition-colors focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-500 ${
        selected ? "bg-indigo-50 dark:bg-indigo-500/15" : "hover:bg-slate-100 dark:hover:bg-slate-800/70"
      }`}
      onClick={() => store.select(peer.user_id)}
    >
      <Avatar userId={peer.user_id} name={peer.name} online={peer.online} />
      <span class="min-w-0 flex-1">
        <span class="flex items-baseline gap-2">
          {
            /* What truncates takes its direction from its own text, so that a right-to-left one is cut at its end;
              short, it still starts on the left, as the list does. */
          }
          <span
            class={`flex min-w-0 ${unread > 0 ? "font-semibold" : "font-medium"} ${
              peer.online ? "" : "text-slate-600 dark:text-slate-400"
            }`}
          >
            <bdi class="truncate text-left">{peer.name}</bdi>
            {!peer.online && <span class="sr-only">, offline</span>}
          </span>
          {last !== undefined && (
            <span class="ml-auto shrink-0 text-xs text-slate-600 dark:text-slate-400" aria-hidden="true">
              {shortAge(last.at, store.now.value)}
            </span>
          )}
        </span>
        {typing
          ? <span class="block truncate text-sm text-indigo-600 dark:text-indigo-300">typing…</span>
          : last !== undefined && (
            <span
              class={`flex text-sm ${
                unread > 0 ? "text-slate-800 dark:text-slate-100" : "text-slate-600 dark:text-slate-400"
              }`}
            >
              {last.from === me && <span class="shrink-0">You:&nbsp;</span>}
              <bdi class="min-w-0 truncate text-left">{last.text}</bdi>
            </span>
          )}
      </span>
      {unread > 0 && (
        <span class="min-w-6 shrink-0 rounded-full bg-indigo-600 px-1.5 py-0.5 text-center text-xs font-semibold text-white">
          {unread > 99 ? "99+" : unread}
          <span class="sr-only">{unread === 1 ? " unread message" : " unread messages"}</span>
        </span>
      )}
    </button>
  );
}
