/**
 * The state both islands share, as signals: who I am, the connection, the
 * roster, the conversations and which one is open. The list and the chat
 * pane render from it and act through its methods; a {@link ChatSession}
 * (browser only) connects it to the server.
 *
 * The islands' modules also run on the server to render the first HTML, and
 * module state there would be shared by every visitor: so the one store is
 * made lazily in the browser, and the server renders each page from a fresh,
 * unconnected store that shows "Connecting…".
 *
 * @example
 * ```tsx
 * const store = chatStore();
 * useEffect(() => store.start(), []);
 * return <p>{store.unreadTotal} unread</p>;
 * ```
 *
 * @module
 */
import { computed, signal } from "@preact/signals";
import {
  type Activity,
  type Conversation,
  type Conversations,
  lastActivity,
  totalUnread,
} from "./client/conversations.ts";
import type { Identity } from "./client/identity.ts";
import { filterPeers, listPeers, type Peer, type Roster } from "./client/roster.ts";
import { ChatSession } from "./client/session.ts";

/** Whether this code runs in a browser (and not in the server's render). */
export const IS_BROWSER = typeof document !== "undefined";

/** What the user sees of the connection. */
export type ConnectionState =
  /** Not online yet since the page loaded. */
  | "connecting"
  | "online"
  /** Was online, or failed to get there: retrying with backoff. */
  | "reconnecting"
  /** The server asked this page to wait before it joins (many newcomers from its network): it tries again then. */
  | "held"
  /** The user logged out (in another tab): offline until they come back. */
  | "logged-out"
  /** This user has too many tabs open: offline until they try again. */
  | "too-many-tabs";

/** Shared signals and the actions that change them. */
export class ChatStore {
  /** My identity, once loaded in the browser. */
  readonly me = signal<Identity | null>(null);
  readonly connection = signal<ConnectionState>("connecting");
  /** While `connection` is `"held"`: when the server lets this page try again (`Date.now()` time). */
  readonly heldUntil = signal(0);
  /** Everyone online, me included. */
  readonly roster = signal<Roster>(new Map());
  /** Whether the roster has been received since the page loaded. */
  readonly rosterReady = signal(false);
  readonly conversations = signal<Conversations>(new Map());
  /** The peer whose conversation is open. */
  readonly selected = signal<string | null>(null);
  /** Whether the open conversation shows its latest messages (scrolled to the bottom): only then are they read. */
  readonly readingLatest = signal(true);
  /** Peers typing to me right now. */
  readonly typingPeers = signal<ReadonlySet<string>>(new Set());
  /** The list's search text. */
  readonly query = signal("");
  /** The time that relative timestamps count from, ticking every half minute. */
  readonly now = signal(Date.now());
  /**
   * The latest message from someone else than the open conversation's peer,
   * while one is open, for a while: on a phone the list that would show it is
   * out of view.
   */
  readonly elsewhere = signal<{ peerId: string; name: string; text: string } | null>(null);
  /** A passing problem with no message to show it on, such as being rate limited. */
  readonly notice = signal<string | null>(null);
  /** Unsent text per peer, so switching conversations keeps it. */
  readonly drafts = new Map<string, string>();

  /** Everyone online but me, and those I have a conversation with, in list order. */
  readonly peers = computed<Peer[]>(() =>
    listPeers(this.roster.value, this.me.value?.user_id ?? null, this.#activity.value)
  );
  /** The peers matching the search. */
  readonly shownPeers = computed<Peer[]>(() => filterPeers(this.peers.value, this.query.value));
  /** Unread messages in all conversations, for the title. */
  readonly unreadTotal = computed(() => totalUnread(this.conversations.value));
  /** The open conversation, if it has begun. */
  readonly conversation = computed<Conversation | undefined>(() => {
    const peerId = this.selected.value;
    return peerId === null ? undefined : this.conversations.value.get(peerId);
  });
  /** The open conversation's peer's name, online or not. */
  readonly selectedName = computed(() => {
    const peerId = this.selected.value;
    if (peerId === null) return "";
    return this.roster.value.get(peerId) ?? this.conversation.value?.peerName ?? "Someone";
  });
  /** Whether the open conversation's peer is online. */
  readonly selectedOnline = computed(() => this.selected.value !== null && this.roster.value.has(this.selected.value));

  #session: ChatSession | null = null;
  #previousActivity = new Map<string, Activity>();

  /** Last activity per peer; the same map while it is unchanged, so receipts do not re-sort the list. */
  #activity = computed(() => {
    const next = lastActivity(this.conversations.value);
    const previous = this.#previousActivity;
    const same = (peer: string, { at, peerName }: Activity) =>
      previous.get(peer)?.at === at && previous.get(peer)?.peerName === peerName;
    if (next.size === previous.size && [...next].every(([peer, activity]) => same(peer, activity))) return previous;
    return this.#previousActivity = next;
  });

  /** Connects to the server; the first call in the browser does it, later calls and the server do nothing. */
  start(): void {
    if (!IS_BROWSER || this.#session !== null) return;
    this.#session = new ChatSession(this);
    this.#session.start();
  }

  /** Opens the conversation with a peer (`null`: back to the list). */
  select(peerId: string | null): void {
    this.selected.value = peerId;
    this.#session?.opened(peerId);
  }

  /** Sends a message to the open conversation's peer; the text must be valid. */
  send(text: string): void {
    this.#session?.send(text);
  }

  /** Sends a failed message again. */
  retry(peerId: string, messageId: string): void {
    this.#session?.retry(peerId, messageId);
  }

  /** Renames me; resolves with a problem to show, or `null` once done. */
  rename(name: string): Promise<string | null> {
    return this.#session?.rename(name) ?? Promise.resolve("Still connecting; try again in a moment.");
  }

  /** A keystroke in the message box. */
  typed(): void {
    this.#session?.typed();
  }

  /** The message box was emptied or left. */
  stoppedTyping(): void {
    this.#session?.stoppedTyping();
  }

  /** Reconnects after a logout or after too many tabs, or right away while waiting to. */
  reconnect(): void {
    this.#session?.reconnect();
  }
}

let browserStore: ChatStore | undefined;

/**
 * The store: in the browser the one both islands share, on the server a new
 * one per call, so that no visitor's state outlives their render.
 */
export function chatStore(): ChatStore {
  if (!IS_BROWSER) return new ChatStore();
  return browserStore ??= new ChatStore();
}
