/**
 * The top of an open conversation: the way back to the list (phones only),
 * who it is with, and whether they are online or typing.
 *
 * @example
 * ```tsx
 * <ConversationHeader store={store} peerId={peerId} headingRef={heading} />
 * ```
 *
 * @module
 */
import type { Ref } from "preact";
import type { ChatStore } from "../chat_store.ts";
import { Avatar } from "./avatar.tsx";
import { BackIcon } from "./icons.tsx";

/** Props of {@link ConversationHeader}. */
export interface ConversationHeaderProps {
  store: ChatStore;
  peerId: string;
  headingRef: Ref<HTMLHeadingElement>;
}

/** The conversation's title bar. */
export function ConversationHeader({ store, peerId, headingRef }: ConversationHeaderProps) {
  const name = store.selectedName.value;
  const online = store.selectedOnline.value;
  const typing = store.typingPeers.value.has(peerId);
  return (
    <header class="flex items-center gap-3 border-b border-slate-200 bg-white px-3 py-2.5 sm:px-6 dark:border-slate-800 dark:bg-slate-900">
      <button
        type="button"
        aria-label="Back to people"
        class="-ml-1 rounded-full p-2 text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 sm:hidden dark:text-slate-300 dark:hover:bg-slate-800"
        onClick={() => store.select(null)}
      >
        <BackIcon />
      </button>
      <Avatar userId={peerId} name={name} online={online} />
      <div class="min-w-0">
        <h2
          ref={headingRef}
          id="conversation-title"
          tabIndex={-1}
          dir="auto"
          class="truncate text-left font-semibold focus:outline-none"
        >
          {name}
        </h2>
        <p class={`text-xs ${typing ? "text-indigo-600 dark:text-indigo-300" : "text-slate-500 dark:text-slate-400"}`}>
          {typing ? "typing…" : online ? "Online" : "Offline"}
        </p>
      </div>
    </header>
  );
}
