/**
 * The message box: Enter sends and Shift+Enter starts a new line (on a
 * touch screen, whose keyboard has no Shift+Enter, Return starts a new line
 * and the button or Ctrl (⌘) + Enter sends), empty or over-long messages cannot be sent, the box
 * grows with its text, and each conversation keeps its unsent draft.
 *
 * @example
 * ```tsx
 * <Composer store={store} peerId={peerId} messageMax={2000} />
 * ```
 *
 * @module
 */
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { ChatStore } from "../chat_store.ts";
import { SendIcon } from "./icons.tsx";

/** A device whose main pointer is a finger, typing on a touch keyboard. */
const TOUCH = "(pointer: coarse)";

/** Props of {@link Composer}. */
export interface ComposerProps {
  store: ChatStore;
  peerId: string;
  /** Longest message the server accepts, in UTF-16 code units. */
  messageMax: number;
  /** The message box, for focusing it from outside. */
  inputRef?: { current: HTMLTextAreaElement | null };
}

/** How many characters before the limit the counter appears. */
const COUNTER_FROM = 200;

/** Writes and sends messages to the open conversation. */
export function Composer({ store, peerId, messageMax, inputRef }: ComposerProps) {
  const [text, setText] = useState(() => store.drafts.get(peerId) ?? "");
  const box = useRef<HTMLTextAreaElement | null>(null);
  const length = text.trim().length;
  const over = length > messageMax;
  const canSend = length > 0 && !over;

  useEffect(() => {
    store.drafts.set(peerId, text);
  }, [peerId, text]);

  // The box grows with its text, up to a limit set in CSS (max-h).
  useLayoutEffect(() => {
    const element = box.current;
    if (element === null) return;
    element.style.height = "auto";
    element.style.height = `${element.scrollHeight}px`;
  }, [text]);

  function send() {
    if (!canSend) return;
    store.send(text.trim());
    setText("");
    box.current?.focus();
  }

  // Only ever rendered in the browser, once a conversation is open.
  const touch = matchMedia(TOUCH).matches;
  let hint: string | null = null;
  if (over) hint = `${(length - messageMax).toLocaleString()} characters over the ${messageMax.toLocaleString()} limit`;
  else if (messageMax - length <= COUNTER_FROM) hint = `${(messageMax - length).toLocaleString()} characters left`;

  return (
    <form
      class="border-t border-slate-200 bg-white px-3 pb-3 pt-2.5 sm:px-6 dark:border-slate-800 dark:bg-slate-900"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <div
        class={`mx-auto flex max-w-3xl items-end gap-2 rounded-2xl border bg-slate-50 py-1.5 pl-4 pr-1.5 focus-within:bg-white focus-within:ring-2 dark:bg-slate-800 dark:focus-within:bg-slate-800 ${
          over
            ? "border-rose-400 focus-within:ring-rose-500/30"
            : "border-slate-200 focus-within:border-indigo-500 focus-within:ring-indigo-500/25 dark:border-slate-700"
        }`}
      >
        <textarea
          ref={(element) => {
            box.current = element;
            if (inputRef) inputRef.current = element;
          }}
          aria-label="Message"
          aria-invalid={over}
          aria-describedby="composer-hint"
          dir="auto"
          rows={1}
          placeholder={`Message ${store.selectedName.value}`}
          value={text}
          class="max-h-40 min-h-9 flex-1 resize-none self-center bg-transparent py-1.5 text-[15px] leading-snug placeholder:text-slate-500 focus:outline-none dark:placeholder:text-slate-400"
          onInput={(event) => {
            const value = event.currentTarget.value;
            setText(value);
            if (value.trim() === "") store.stoppedTyping();
            else store.typed();
          }}
          onKeyDown={(event) => {
            if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
            // A touch keyboard has no Shift + Enter: there Return makes a new line, and the button sends, or
            // Ctrl (⌘) + Enter from a keyboard attached to the tablet.
            if (touch && !event.ctrlKey && !event.metaKey) return;
            event.preventDefault();
            send();
          }}
          onBlur={() => store.stoppedTyping()}
        />
        <button
          type="submit"
          disabled={!canSend}
          aria-label="Send"
          title={touch ? "Send" : "Send (Enter)"}
          class="grid size-9 shrink-0 place-items-center rounded-xl bg-indigo-600 text-white transition-colors hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 disabled:bg-slate-300 disabled:text-slate-500 dark:disabled:bg-slate-700 dark:disabled:text-slate-400"
        >
          <SendIcon class="size-[18px]" />
        </button>
      </div>
      <p
        id="composer-hint"
        class={`mx-auto mt-1.5 max-w-3xl px-1 text-xs ${hint === null ? "hidden sm:pointer-fine:block" : ""} ${
          over ? "font-medium text-rose-700 dark:text-rose-300" : "text-slate-500 dark:text-slate-400"
        }`}
      >
        {hint ?? (touch ? "Return makes a new line; the button, or Ctrl + Enter, sends." : (
          <>
            <kbd class="font-sans font-semibold">Enter</kbd> to send ·{" "}
            <kbd class="font-sans font-semibold">Shift + Enter</kbd> for a new line
          </>
        ))}
      </p>
      <p class="sr-only" aria-live="polite">{over ? "Your message is too long to send." : ""}</p>
    </form>
  );
}
