/**
 * One message: its text (always as text, never as markup), a tick for where
 * mine stands, and, when mine failed, what went wrong with a way to retry.
 *
 * @example
 * ```tsx
 * <MessageBubble store={store} peerId={peerId} message={message} mine senderName="Ada" />
 * ```
 *
 * @module
 */
import type { ChatStore } from "../chat_store.ts";
import type { ChatMessage, Delivery } from "../client/conversations.ts";
import { describeProblem } from "../client/problems.ts";
import { clockTime, fullTime } from "../client/time_format.ts";
import { AlertIcon, CheckIcon, ClockIcon, DoubleCheckIcon } from "./icons.tsx";

/** Props of {@link MessageBubble}. */
export interface MessageBubbleProps {
  store: ChatStore;
  peerId: string;
  message: ChatMessage;
  mine: boolean;
  /** How a screen reader introduces the message: "You" or the peer's name. */
  senderName: string;
  /** The first message of its group, with the group's corner. */
  first: boolean;
  /** The last message of its group. */
  last: boolean;
}

const DELIVERY_LABELS: Record<Delivery, string> = {
  sending: "Sending",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
  failed: "Not delivered",
};

/** A message in the conversation. */
export function MessageBubble({ store, peerId, message, mine, senderName, first, last }: MessageBubbleProps) {
  const failed = message.delivery === "failed";
  // Bubbles of one group hug each other on the sender's side.
  const corner = mine
    ? `${first ? "" : "rounded-tr-md"} ${last ? "rounded-br-sm" : "rounded-br-md"}`
    : `${first ? "" : "rounded-tl-md"} ${last ? "rounded-bl-sm" : "rounded-bl-md"}`;
  const tone = mine
    ? failed
      ? "bg-rose-50 text-rose-950 ring-1 ring-rose-300 dark:bg-rose-950/50 dark:text-rose-50 dark:ring-rose-800"
      : "bg-indigo-600 text-white"
    : "bg-white text-slate-900 ring-1 ring-slate-200 dark:bg-slate-800 dark:text-slate-100 dark:ring-slate-700";
  return (
    <div class={`flex max-w-full flex-col ${mine ? "items-end" : "items-start"}`}>
      {
        /* Right to left or left to right as the text begins; the hidden label has a direction of its own, so it is not
          what decides. */
      }
      <div
        dir="auto"
        class={`max-w-full rounded-2xl px-3.5 py-2 text-[15px] leading-snug shadow-sm ${corner} ${tone}`}
        title={fullTime(message.at)}
      >
        <span class="sr-only" dir="auto">{senderName}, {clockTime(message.at)}:</span>
        <span class="whitespace-pre-wrap wrap-anywhere">{message.text}</span>
        {mine && message.delivery !== undefined && !failed && <DeliveryMark delivery={message.delivery} />}
      </div>
      {failed && (
        <p role="alert" class="mt-1 flex items-center gap-1.5 text-xs text-rose-700 dark:text-rose-300">
          <AlertIcon class="size-3.5 shrink-0" />
          <span>
            {describeProblem(message.error?.code ?? "UNKNOWN", message.error?.detail ?? "", store.selectedName.value)}
          </span>
          <button
            type="button"
            class="rounded font-semibold underline underline-offset-2 hover:no-underline focus-visible:outline-2 focus-visible:outline-indigo-500"
            onClick={() => store.retry(peerId, message.id)}
          >
            Retry
          </button>
        </p>
      )}
    </div>
  );
}

/** The tick in the corner of my message. */
function DeliveryMark({ delivery }: { delivery: Delivery }) {
  const label = DELIVERY_LABELS[delivery];
  // Read stands apart by more than its hue: its ticks sit on a light disc.
  const tone = delivery === "read" ? "rounded-full bg-white px-0.5 text-indigo-700" : "text-indigo-200";
  const icon = delivery === "sending"
    ? <ClockIcon class="size-3.5" />
    : delivery === "sent"
    ? <CheckIcon class="size-3.5" />
    : <DoubleCheckIcon class="size-4" />;
  return (
    <span
      role="img"
      aria-label={label}
      title={label}
      data-delivery={delivery}
      class={`-mb-0.5 ml-2 inline-flex translate-y-0.5 align-baseline ${tone}`}
    >
      {icon}
    </span>
  );
}
