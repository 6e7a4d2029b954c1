/**
 * "Ada is typing…" under the conversation, as a polite status so that a
 * screen reader hears it once without it joining the conversation log.
 *
 * @example
 * ```tsx
 * <TypingIndicator store={store} peerId={peerId} />
 * ```
 *
 * @module
 */
import type { ChatStore } from "../chat_store.ts";

/** Whether the open conversation's peer is typing. */
export function TypingIndicator({ store, peerId }: { store: ChatStore; peerId: string }) {
  const typing = store.typingPeers.value.has(peerId);
  return (
    <div role="status" class="h-6 px-4 sm:px-6">
      {typing && (
        <p class="mx-auto flex max-w-3xl items-center gap-2 text-xs text-slate-500 dark:text-slate-400">
          <span aria-hidden="true" class="inline-flex gap-0.5">
            <span class="size-1.5 rounded-full bg-slate-400 motion-safe:animate-bounce" />
            <span class="size-1.5 rounded-full bg-slate-400 [animation-delay:150ms] motion-safe:animate-bounce" />
            <span class="size-1.5 rounded-full bg-slate-400 [animation-delay:300ms] motion-safe:animate-bounce" />
          </span>
          {/* A long name gives way: the line stays one line, and says what it is about. */}
          <bdi class="min-w-0 truncate text-left">{store.selectedName.value}</bdi>{" "}
          <span class="-ml-1 shrink-0">is typing…</span>
        </p>
      )}
    </div>
  );
}
