/**
 * A message from someone else, pointed out in the open conversation: on a
 * phone the list that shows it is out of view, and a screen reader hears of
 * it here.
 *
 * @example
 * ```tsx
 * <ElsewhereNotice store={store} />
 * ```
 *
 * @module
 */
import type { ChatStore } from "../chat_store.ts";

/** "New message from Carol: …", with a button to open that conversation; an empty live region otherwise. */
export function ElsewhereNotice({ store }: { store: ChatStore }) {
  const elsewhere = store.elsewhere.value;
  return (
    <div role="status">
      {elsewhere !== null && (
        <div class="flex items-center gap-3 border-b border-indigo-100 bg-indigo-50 px-4 py-2 text-sm text-indigo-950 sm:px-6 dark:border-indigo-500/20 dark:bg-indigo-500/15 dark:text-indigo-100">
          {/* Each part truncates in its own direction, so that a right-to-left one is cut at its end. */}
          <p class="flex min-w-0 flex-1">
            <span class="shrink-0">New message from&nbsp;</span>
            <bdi class="max-w-1/2 truncate text-left font-semibold">{elsewhere.name}</bdi>
            <span class="shrink-0">:&nbsp;</span>
            <bdi class="min-w-0 truncate text-left">{elsewhere.text}</bdi>
          </p>
          <button
            type="button"
            aria-label={`Open the conversation with ${elsewhere.name}`}
            class="shrink-0 rounded-lg bg-white px-3 py-1 font-medium text-indigo-900 shadow-sm ring-1 ring-indigo-200 hover:bg-indigo-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:bg-slate-800 dark:text-white dark:ring-slate-600 dark:hover:bg-slate-700"
            onClick={() => store.select(elsewhere.peerId)}
          >
            Open
          </button>
        </div>
      )}
    </div>
  );
}
