/**
 * What the chat side shows before a conversation is open (on wide screens;
 * phones show the list instead).
 *
 * @example
 * ```tsx
 * <NoConversation store={store} />
 * ```
 *
 * @module
 */
import type { ChatStore } from "../chat_store.ts";
import { ChatIcon } from "./icons.tsx";

/** An invitation to pick someone. */
export function NoConversation({ store }: { store: ChatStore }) {
  // Held back by the server, the page is still on its way in: the banner above says why.
  const connecting = store.connection.value === "connecting" || store.connection.value === "held";
  return (
    <div class="flex flex-1 flex-col items-center justify-center gap-3 p-8 text-center">
      <span class="grid size-16 place-items-center rounded-2xl bg-indigo-100 text-indigo-600 dark:bg-indigo-500/15 dark:text-indigo-300">
        <ChatIcon class="size-8" />
      </span>
      <h2 class="text-lg font-semibold">{connecting ? "Connecting…" : "Pick someone to chat with"}</h2>
      <p class="max-w-sm text-sm text-slate-500 dark:text-slate-400">
        Everyone online is listed on the left. Conversations are one-to-one and live only in this tab: the server keeps
        no history.
      </p>
    </div>
  );
}
