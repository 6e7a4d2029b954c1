import { useEffect } from "preact/hooks";
import { chatStore } from "../lib/chat_store.ts";
import { ConnectionBadge, ConnectionBanner } from "../lib/ui/connection_status.tsx";
import { ChatIcon, SearchIcon } from "../lib/ui/icons.tsx";
import { MeCard } from "../lib/ui/me_card.tsx";
import { PeerList } from "../lib/ui/peer_list.tsx";

/** Props of the {@link OnlineList} island. */
export interface OnlineListProps {
  /** Longest display name the server accepts. */
  nameMax: number;
}

/**
 * The people side of the chat: who I am (renamable), the connection, and
 * everyone else online, searchable, with unread counts and typing hints.
 * On a phone it is a view of its own, hidden while a conversation is open.
 */
export default function OnlineList({ nameMax }: OnlineListProps) {
  const store = chatStore();
  useEffect(() => store.start(), []);
  // The count is of who is online; the list also keeps conversations with people who left.
  const total = store.peers.value.filter((peer) => peer.online).length;
  const shown = store.shownPeers.value.filter((peer) => peer.online).length;
  const filtering = store.query.value.trim() !== "";

  return (
    <section
      aria-label="People"
      class={`${
        store.selected.value === null ? "flex" : "hidden sm:flex"
      } min-h-0 w-full shrink-0 flex-col border-slate-200 bg-white sm:w-80 sm:border-r lg:w-96 dark:border-slate-800 dark:bg-slate-900`}
    >
      <header class="flex items-center gap-2.5 px-4 pb-3 pt-4">
        <span class="grid size-9 place-items-center rounded-xl bg-indigo-600 text-white" aria-hidden="true">
          <ChatIcon class="size-5" />
        </span>
        <h1 class="text-lg font-semibold tracking-tight">Quick Chat</h1>
        <span class="ml-auto">
          <ConnectionBadge store={store} />
        </span>
      </header>
      <ConnectionBanner store={store} class="mb-3 sm:hidden" />
      <MeCard store={store} nameMax={nameMax} />
      <div class="relative px-3 pb-1 pt-3">
        <label for="people-search" class="sr-only">Search people</label>
        <SearchIcon class="pointer-events-none absolute left-6 top-1/2 mt-1 size-4 -translate-y-1/2 text-slate-400" />
        <input
          id="people-search"
          type="search"
          placeholder="Search people"
          autocomplete="off"
          spellcheck={false}
          value={store.query.value}
          class="block w-full rounded-xl border border-slate-200 bg-slate-50 py-2 pl-9 pr-3 text-sm placeholder:text-slate-500 focus:border-indigo-500 dark:placeholder:text-slate-400 focus:bg-white focus:outline-none focus:ring-2 focus:ring-indigo-500/30 dark:border-slate-700 dark:bg-slate-800 dark:focus:bg-slate-900"
          onInput={(event) => (store.query.value = event.currentTarget.value)}
          onKeyDown={(event) => {
            const first = store.shownPeers.value[0];
            if (event.key === "Enter" && first !== undefined) {
              event.preventDefault();
              store.select(first.user_id);
            } else if (event.key === "ArrowDown" && first !== undefined) {
              // Into the list at its first row or, scrolled away from it, where Tab would go.
              event.preventDefault();
              const row = document.querySelector<HTMLButtonElement>(`#people [data-peer="${first.user_id}"]`) ??
                document.querySelector<HTMLButtonElement>('#people [data-peer][tabindex="0"]');
              row?.focus();
            }
          }}
        />
      </div>
      <h2
        id="people-heading"
        class="flex items-center gap-2 px-5 pb-1 pt-3 text-xs font-semibold uppercase tracking-wider text-slate-500 dark:text-slate-400"
      >
        {/* The list also keeps conversations with people who left: the heading names them all, the count who is on. */}
        People
        <span
          data-testid="online-count"
          class="rounded-full bg-slate-100 px-2 py-0.5 text-[11px] font-semibold normal-case tracking-normal text-slate-600 dark:bg-slate-800 dark:text-slate-300"
        >
          {filtering ? `${shown} of ${total}` : total} online
        </span>
      </h2>
      <div id="people" class="flex min-h-0 flex-1 flex-col">
        <PeerList store={store} />
      </div>
    </section>
  );
}
