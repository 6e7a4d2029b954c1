/**
 * The conversation as a `log` region named "Conversation": day separators,
 * messages grouped by sender, and scrolling that follows new messages only
 * while the reader is at the bottom; otherwise a button offers to jump down.
 *
 * @example
 * ```tsx
 * <MessageLog store={store} peerId={peerId} />
 * ```
 *
 * @module
 */
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { ChatStore } from "../chat_store.ts";
import { groupMessages } from "../client/grouping.ts";
import { clockTime } from "../client/time_format.ts";
import { Avatar } from "./avatar.tsx";
import { ArrowDownIcon } from "./icons.tsx";
import { MessageBubble } from "./message_bubble.tsx";

/** How close to the bottom, in pixels, still counts as reading the latest messages. */
const AT_BOTTOM_PX = 96;

/** The messages of the open conversation. */
export function MessageLog({ store, peerId }: { store: ChatStore; peerId: string }) {
  const me = store.me.value?.user_id ?? "";
  const peerName = store.selectedName.value;
  const messages = store.conversation.value?.messages ?? [];
  const log = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  /** Where the last scroll event left the log, to tell the reader moving up from a scroll going down. */
  const lastTop = useRef(0);
  const [newBelow, setNewBelow] = useState(false);
  const lastMessage = messages.at(-1);

  // Opening a conversation starts at its latest message.
  useLayoutEffect(() => {
    scrollToBottom(false);
  }, [peerId]);

  // A log that grew (a larger window, a shorter message box) may show its end without a scroll: that is the bottom.
  useLayoutEffect(() => {
    const element = log.current!;
    const observer = new ResizeObserver(() => {
      if (!atBottom.current && nearBottom(element)) reachedBottom();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // New messages: follow them if the reader was at the bottom or sent one, or if they are in view anyway (a log too
  // short to scroll); otherwise say so.
  useLayoutEffect(() => {
    if (lastMessage === undefined) return;
    const element = log.current;
    const unscrollable = element !== null && element.scrollHeight <= element.clientHeight;
    if (atBottom.current || lastMessage.from === me || unscrollable) scrollToBottom(true);
    else setNewBelow(true);
  }, [lastMessage?.id]);

  function scrollToBottom(smooth: boolean) {
    const element = log.current;
    if (element === null) return;
    const reduced = matchMedia("(prefers-reduced-motion: reduce)").matches;
    element.scrollTo({ top: element.scrollHeight, behavior: smooth && !reduced ? "smooth" : "instant" });
    reachedBottom();
  }

  function reachedBottom() {
    atBottom.current = true;
    store.readingLatest.value = true;
    setNewBelow(false);
  }

  function onScroll() {
    const element = log.current!;
    if (nearBottom(element)) atBottom.current = true;
    // Only moving up leaves the bottom: a smooth scroll following a burst of messages passes through
    // points far from the end on its way down.
    else if (element.scrollTop < lastTop.current) atBottom.current = false;
    lastTop.current = element.scrollTop;
    // Messages that arrive while the reader is up there are not read yet; reaching the bottom reads them.
    store.readingLatest.value = atBottom.current;
    if (atBottom.current) setNewBelow(false);
  }

  const rows = groupMessages(messages, store.now.value);
  return (
    <div class="relative flex min-h-0 flex-1 flex-col">
      <div
        ref={log}
        role="log"
        aria-label="Conversation"
        tabIndex={0}
        class="min-h-0 flex-1 overflow-y-auto overscroll-contain px-3 py-4 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-500 sm:px-6"
        onScroll={onScroll}
      >
        {messages.length === 0 && (
          <div class="mx-auto mt-10 max-w-xs text-center text-sm text-slate-500 dark:text-slate-400">
            <p>This is the start of your conversation with {peerName}.</p>
            <p class="mt-1">Messages live in this tab only; the server keeps no history.</p>
          </div>
        )}
        <div class="mx-auto flex max-w-3xl flex-col gap-3">
          {rows.map((row) =>
            row.kind === "day"
              ? (
                <p
                  key={row.key}
                  class="flex items-center gap-3 py-1 text-xs font-medium text-slate-500 dark:text-slate-400"
                >
                  <span aria-hidden="true" class="h-px flex-1 bg-slate-200 dark:bg-slate-800" />
                  {row.label}
                  <span aria-hidden="true" class="h-px flex-1 bg-slate-200 dark:bg-slate-800" />
                </p>
              )
              : (
                <div key={row.key} class={`flex items-end gap-2 ${row.from === me ? "justify-end pl-10" : "pr-10"}`}>
                  {row.from !== me && <Avatar userId={row.from} name={peerName} size="sm" />}
                  <div class={`flex min-w-0 flex-col gap-1 ${row.from === me ? "items-end" : "items-start"}`}>
                    <p aria-hidden="true" class="flex max-w-full px-1 text-xs text-slate-500 dark:text-slate-400">
                      <bdi class="truncate text-left font-medium text-slate-700 dark:text-slate-300">
                        {row.from === me ? "You" : peerName}
                      </bdi>
                      <span class="shrink-0">&nbsp;·&nbsp;{clockTime(row.messages[0].at)}</span>
                    </p>
                    {row.messages.map((message, index) => (
                      <MessageBubble
                        key={message.id}
                        store={store}
                        peerId={peerId}
                        message={message}
                        mine={row.from === me}
                        senderName={row.from === me ? "You" : peerName}
                        first={index === 0}
                        last={index === row.messages.length - 1}
                      />
                    ))}
                  </div>
                </div>
              )
          )}
        </div>
      </div>
      {newBelow && (
        <button
          type="button"
          class="absolute bottom-3 left-1/2 inline-flex -translate-x-1/2 items-center gap-1.5 rounded-full bg-indigo-600 px-3.5 py-1.5 text-sm font-medium text-white shadow-lg hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500"
          onClick={() => scrollToBottom(true)}
        >
          <ArrowDownIcon class="size-4" />
          New messages
        </button>
      )}
    </div>
  );
}

/** Whether the log shows its end, or nearly. */
function nearBottom(element: HTMLElement): boolean {
  return element.scrollHeight - element.scrollTop - element.clientHeight < AT_BOTTOM_PX;
}
