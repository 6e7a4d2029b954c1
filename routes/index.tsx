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
      <main class="flex h-dvh overflow-hidden noscript:hidden">
        <OnlineList nameMax={NAME_MAX} />
        <ChatPane messageMax={state.config.limits.messageMaxChars} />
      </main>
    </>
  );
});
