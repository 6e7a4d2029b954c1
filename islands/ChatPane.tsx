import { useEffect, useLayoutEffect, useRef } from "preact/hooks";
import { chatStore } from "../lib/chat_store.ts";
import { Composer } from "../lib/ui/composer.tsx";
import { ConnectionAnnouncer, ConnectionBanner } from "../lib/ui/connection_status.tsx";
import { ConversationHeader } from "../lib/ui/conversation_header.tsx";
import { ElsewhereNotice } from "../lib/ui/elsewhere_notice.tsx";
import { MessageLog } from "../lib/ui/message_log.tsx";
import { NoConversation } from "../lib/ui/no_conversation.tsx";
import { TypingIndicator } from "../lib/ui/typing_indicator.tsx";

/** Props of the {@link ChatPane} island. */
export interface ChatPaneProps {
  /** Longest message the server accepts, in characters. */
  messageMax: number;
}

/** Wide enough for the list and the conversation side by side (Tailwind's `sm`). */
const TWO_PANES = "(min-width: 640px)";

/**
 * The conversation side: the open conversation with its messages, typing
 * indicator and message box, or an invitation to pick someone. On a phone it
 * is a view of its own, shown while a conversation is open.
 */
export default function ChatPane({ messageMax }: ChatPaneProps) {
  const store = chatStore();
  useEffect(() => store.start(), []);
  const peerId = store.selected.value;
  const heading = useRef<HTMLHeadingElement>(null);
  const input = useRef<HTMLTextAreaElement | null>(null);

  // Opening a conversation moves focus into it: the message box, or on a phone (where a keyboard
  // popping up would hide the conversation) its heading.
  useLayoutEffect(() => {
    if (peerId === null) return;
    if (matchMedia(TWO_PANES).matches) input.current?.focus();
    else heading.current?.focus();
  }, [peerId]);

  return (
    <section
      onKeyDown={(event) => {
        // On a phone, Escape goes back to the list, as the back button does.
        if (event.key === "Escape" && peerId !== null && !matchMedia(TWO_PANES).matches) store.select(null);
      }}
      aria-label={peerId === null ? "Chat" : `Chat with ${store.selectedName.value}`}
      class={`${
        peerId === null ? "hidden sm:flex" : "flex"
      } min-h-0 min-w-0 flex-1 flex-col bg-slate-50 dark:bg-slate-950`}
    >
      <ConnectionAnnouncer store={store} />
      <ConnectionBanner store={store} />
      {peerId === null ? <NoConversation store={store} /> : (
        <>
          <ConversationHeader store={store} peerId={peerId} headingRef={heading} />
          <ElsewhereNotice store={store} />
          {!store.selectedOnline.value && store.rosterReady.value && (
            <p class="border-b border-slate-200 bg-slate-100 px-4 py-2 text-center text-sm text-slate-600 sm:px-6 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-300">
              {store.selectedName.value} is offline. Messages can't be delivered until they're back.
            </p>
          )}
          <MessageLog key={peerId} store={store} peerId={peerId} />
          <TypingIndicator store={store} peerId={peerId} />
          {store.notice.value !== null && (
            <p role="alert" class="px-4 pb-1 text-center text-sm text-amber-800 sm:px-6 dark:text-amber-200">
              {store.notice.value}
            </p>
          )}
          <Composer key={peerId} store={store} peerId={peerId} messageMax={messageMax} inputRef={input} />
        </>
      )}
    </section>
  );
}
