import { NoScriptNotice } from "../components/no_script_notice.tsx";
import ChatPane from "../islands/ChatPane.tsx";
import OnlineList from "../islands/OnlineList.tsx";
import { NAME_MAX } from "../lib/protocol.ts";
import { define } from "../lib/state.ts";

/**
 * The chat: the online list and the conversation side by side, or as two
 * views on a phone. Without JavaScript only the notice shows.
 */
export default define.page(function Home({ state }) {
  return (
    <>
      <NoScriptNotice />
      {
        /* The page reaches under a phone's notch and home indicator (viewport-fit=cover): the safe-area insets keep
          the list and the message box clear of them. */
      }
      <main class="flex h-dvh overflow-hidden pt-[env(safe-area-inset-top)] pr-[env(safe-area-inset-right)] pb-[env(safe-area-inset-bottom)] pl-[env(safe-area-inset-left)] noscript:hidden">
        <OnlineList nameMax={NAME_MAX} />
        <ChatPane messageMax={state.config.limits.messageMaxChars} />
      </main>
    </>
  );
});
