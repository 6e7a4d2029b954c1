/**
 * Keeps this tab's conversations in `sessionStorage`, so that they survive a
 * reload of the tab but never leave the browser: the server keeps no history.
 *
 * @example
 * ```ts
 * saveConversations(sessionStorage, { me, selected, conversations });
 * const saved = loadConversations(sessionStorage, me);
 * ```
 *
 * @module
 */
import type { Conversation, Conversations } from "./conversations.ts";

/** The `sessionStorage` key of the conversations. */
export const CONVERSATIONS_KEY = "quick-chat:conversations";

/** What a tab keeps across reloads. */
export interface SavedChat {
  /** Whose conversations these are: another identity's are not restored. */
  me: string;
  /** The peer whose conversation was open. */
  selected: string | null;
  conversations: Conversations;
}

interface Stored {
  version: 1;
  me: string;
  selected: string | null;
  conversations: Conversation[];
}

/** Stores the conversations; a full or blocked storage only costs persistence. */
export function saveConversations(storage: Storage | null, saved: SavedChat): void {
  const stored: Stored = {
    version: 1,
    me: saved.me,
    selected: saved.selected,
    conversations: [...saved.conversations.values()].filter((conversation) => conversation.messages.length > 0),
  };
  try {
    storage?.setItem(CONVERSATIONS_KEY, JSON.stringify(stored));
  } catch {
    // Over quota or blocked: the conversations then live as long as the page.
  }
}

/** The conversations saved for `me`, or empty ones. */
export function loadConversations(storage: Storage | null, me: string): SavedChat {
  const empty: SavedChat = { me, selected: null, conversations: new Map() };
  try {
    const stored = JSON.parse(storage?.getItem(CONVERSATIONS_KEY) ?? "null") as Stored | null;
    if (stored?.version !== 1 || stored.me !== me || !Array.isArray(stored.conversations)) return empty;
    const conversations = new Map<string, Conversation>();
    for (const conversation of stored.conversations) {
      if (typeof conversation?.peerId === "string" && Array.isArray(conversation.messages)) {
        conversations.set(conversation.peerId, conversation);
      }
    }
    return { me, selected: typeof stored.selected === "string" ? stored.selected : null, conversations };
  } catch {
    return empty;
  }
}
