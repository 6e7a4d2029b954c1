/**
 * Shown only when JavaScript is off: the chat is live over WebSockets and
 * cannot work without it, so the page says so instead of waiting forever.
 *
 * @example
 * ```tsx
 * <NoScriptNotice />
 * ```
 *
 * @module
 */

/** The page's message for browsers without JavaScript. */
export function NoScriptNotice() {
  return (
    <noscript>
      <div class="flex min-h-dvh items-center justify-center p-6">
        <div class="max-w-md rounded-2xl bg-white p-8 text-center shadow-sm ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
          <h1 class="text-xl font-semibold">Quick Chat needs JavaScript</h1>
          <p class="mt-3 text-slate-600 dark:text-slate-300">
            Quick Chat is a live, anonymous one-to-one chat. It talks to the server over WebSockets, which needs
            JavaScript. Turn JavaScript on for this site and reload the page to start chatting.
          </p>
        </div>
      </div>
    </noscript>
  );
}
