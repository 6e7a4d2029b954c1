/**
 * The browser's live session: it loads or makes the identity, registers it,
 * keeps the presence socket (diff mode) and the chat socket open, turns their
 * frames into store updates, and carries out the store's actions (send,
 * retry, rename, typing, read receipts). It also keeps the conversations in
 * `sessionStorage` and the unread count in the document title.
 *
 * @example
 * ```ts
 * new ChatSession(store).start(); // once, in the browser
 * ```
 *
 * @module
 */
import { batch, effect, untracked } from "@preact/signals";
import type { ChatStore, ConnectionState } from "../chat_store.ts";
import type { ChatServerFrame, ErrorFrame, PresenceServerFrame } from "../protocol.ts";
import {
  addOutgoing,
  failMessage,
  lastReadableId,
  markRead,
  receiveDm,
  receiveRead,
  setDelivery,
} from "./conversations.ts";
import { createIdentity, type Identity, IDENTITY_KEY, loadIdentity, saveIdentity } from "./identity.ts";
import { register } from "./register.ts";
import { applyPresence } from "./roster.ts";
import { loadConversations, saveConversations } from "./saved_conversations.ts";
import { ReconnectingSocket, RetryLater, type SocketStatus, type StopReason } from "./socket.ts";
import { TypingSignal } from "./typing.ts";
import { Outbox } from "./outbox.ts";
import { PeerTyping } from "./peer_typing.ts";
import { describeProblem } from "./problems.ts";

const NOTICE_SHOWN_MS = 6000;
/** How long a message from someone else is pointed out in the open conversation. */
const ELSEWHERE_SHOWN_MS = 8000;
const CLOCK_TICK_MS = 30_000;
const TITLE = "Quick Chat";
/** Where a history entry keeps the open conversation, so that Back closes it as the page's own back button does. */
const HISTORY_PEER = "quickChatPeer";
/** The peer whose conversation a history entry has open, if any. */
const historyPeer = (state: unknown): string | null => {
  const peerId = (state as Record<string, unknown> | null)?.[HISTORY_PEER];
  return typeof peerId === "string" ? peerId : null;
};
/** The Web Lock the tabs of a browser register under, one at a time. */
const REGISTER_LOCK = "quick-chat:register";

/** Connects a {@link ChatStore} to the server; see the module's description. */
export class ChatSession {
  #store: ChatStore;
  #identity: Identity = { user_id: "", name: "" };
  #presence: ReconnectingSocket;
  #chat: ReconnectingSocket;
  #statuses: Record<"presence" | "chat", SocketStatus> = { presence: "idle", chat: "idle" };
  #stopReason: StopReason | null = null;
  #everOnline = false;
  #registration: Promise<void> | null = null;
  /** Whether the last registration's answer was a 429: the server asked to wait (until the store's `heldUntil`). */
  #held = false;
  /**
   * The id the server last refused to this tab: still stored until the new
   * identity is registered, but never to be taken on again.
   */
  #refused: string | null = null;
  /** The token the server last answered this tab's registration with, and whose it is. */
  #token: { userId: string; token: string } | null = null;
  /**
   * Whether the page presents the token itself, in a header with its
   * registrations and in its sockets' URLs: where the browser keeps no
   * cookies, every reconnect would otherwise be refused and make a new
   * identity. A token in a URL can end up in a proxy's logs, so it is sent
   * so only there.
   */
  #cookieless = typeof navigator !== "undefined" && navigator.cookieEnabled === false;
  #typing: TypingSignal;
  #peerTyping: PeerTyping;
  #outbox: Outbox;
  /** The last read receipt sent per peer, so each is sent once. */
  #readSent = new Map<string, string>();
  /** Peers whose conversation was read while the chat socket was down: their receipts go once it is back. */
  #readUnsent = new Set<string>();
  #noticeTimer: ReturnType<typeof setTimeout> | undefined;
  #elsewhereTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the roster is current: a snapshot arrived since the presence socket last opened. */
  #rosterFresh = false;
  /** Set while a conversation opens or closes because of Back or Forward, which moved in history already. */
  #followingHistory = false;
  /** A `history.back()` of ours is under way: its `popstate` settles the history, whatever was opened meanwhile. */
  #backPending = false;

  constructor(store: ChatStore) {
    this.#store = store;
    this.#presence = new ReconnectingSocket({
      url: () => `/presence/ws?user_id=${encodeURIComponent(this.#identity.user_id)}&mode=diff${this.#tokenParam()}`,
      prepare: () => this.#ensureRegistered(),
      onFrame: (frame) => this.#presenceFrame(frame as PresenceServerFrame),
      onStatus: (status) => this.#socketStatus("presence", status),
      onStop: (reason) => this.#stopped(reason),
    });
    this.#chat = new ReconnectingSocket({
      url: () => `/ws/chat?me=${encodeURIComponent(this.#identity.user_id)}${this.#tokenParam()}`,
      prepare: () => this.#ensureRegistered(),
      onOpen: () => this.#chatOpened(),
      onFrame: (frame) => this.#chatFrame(frame as ChatServerFrame),
      onStatus: (status) => this.#socketStatus("chat", status),
      onStop: (reason) => this.#stopped(reason),
    });
    this.#typing = new TypingSignal((to, state) => this.#chat.send({ type: "typing", to, state }));
    this.#peerTyping = new PeerTyping(store.typingPeers);
    this.#outbox = new Outbox({
      conversations: store.conversations,
      roster: store.roster,
      send: (frame) => this.#chat.send(frame),
    });
  }

  /** Loads the identity and the saved conversations, then connects. */
  start(): void {
    const store = this.#store;
    const stored = loadIdentity(storage("localStorage"));
    // Without cookies the stored id could not be proven (its token lived in another tab, or before a reload): claiming
    // it would only be refused, at the cost of one of the network's new users. Such a tab starts afresh, by that name.
    this.#adopt(stored === null ? createIdentity() : this.#cookieless ? createIdentity(stored.name) : stored);
    this.#syncHistory(store.selected.value, true);
    // Back at the latest messages after reading earlier ones: what came meanwhile is read now.
    effect(() => {
      if (store.readingLatest.value) untracked(() => this.#seen(store.selected.value));
    });
    addEventListener("popstate", (event) => {
      if (this.#backPending) {
        // Back past a closed conversation's entry; one opened since then gets its own.
        this.#backPending = false;
        this.#syncHistory();
        return;
      }
      const peerId = historyPeer(event.state);
      if (peerId === store.selected.value) return;
      this.#followingHistory = true;
      try {
        store.select(peerId);
      } finally {
        this.#followingHistory = false;
      }
    });
    effect(() => {
      const me = store.me.value;
      if (me === null) return;
      const saved = { me: me.user_id, selected: store.selected.value, conversations: store.conversations.value };
      saveConversations(storage("sessionStorage"), saved);
    });
    effect(() => {
      const unread = store.unreadTotal.value;
      document.title = unread > 0 ? `(${unread}) ${TITLE}` : TITLE;
    });
    setInterval(() => (store.now.value = Date.now()), CLOCK_TICK_MS);
    addEventListener("online", () => this.#retryNow());
    document.addEventListener("visibilitychange", () => {
      // A message pointed out stays while the page is hidden, and for its while once it is back in view.
      this.#hideElsewhereLater();
      if (document.visibilityState !== "visible") return;
      this.#retryNow();
      this.#seen(store.selected.value);
    });
    // Another tab of this browser made a new identity (the old one was refused): this one follows, so that the
    // tabs stay one person and do not take the token cookie from each other.
    addEventListener("storage", (event) => {
      if (event.key !== IDENTITY_KEY) return;
      const stored = loadIdentity(storage("localStorage"));
      if (stored !== null && stored.user_id !== this.#identity.user_id && !this.#cookieless) this.#adopt(stored);
    });
    this.#presence.start();
    this.#chat.start();
  }

  /** The conversation with `peerId` was opened (`null`: closed). */
  opened(peerId: string | null): void {
    // Whatever was pointed out elsewhere is in the list, or just opened.
    this.#hideElsewhere();
    this.#typing.stop();
    this.#seen(peerId);
    if (!this.#followingHistory) this.#syncHistory(peerId);
  }

  /** Sends a message to the open conversation's peer. */
  send(text: string): void {
    const store = this.#store;
    const peerId = store.selected.value;
    if (peerId === null) return;
    const id = crypto.randomUUID();
    const outgoing = {
      me: this.#identity.user_id,
      peerId,
      peerName: store.selectedName.value,
      text,
      id,
      at: Date.now(),
    };
    store.conversations.value = addOutgoing(store.conversations.value, outgoing);
    // The peer stops showing "typing" when the message arrives; the next keystroke starts again.
    this.#typing.reset();
    this.#outbox.send(peerId, id, text);
  }

  /** Sends a failed message again, under the same id. */
  retry(peerId: string, messageId: string): void {
    const store = this.#store;
    const message = store.conversations.value.get(peerId)?.messages.find((message) => message.id === messageId);
    if (message?.delivery !== "failed") return;
    store.conversations.value = setDelivery(store.conversations.value, peerId, messageId, "sending");
    this.#outbox.send(peerId, messageId, message.text);
  }

  /** Registers under a new name; resolves with a problem to show, or `null` once renamed. */
  async rename(name: string): Promise<string | null> {
    const userId = this.#identity.user_id;
    const outcome = await register({ user_id: userId, name }, { token: this.#tokenFor(userId) });
    switch (outcome.kind) {
      case "ok":
        if (outcome.token !== null) this.#token = { userId, token: outcome.token };
        // This tab took on another identity meanwhile: the name was not given to that one.
        if (this.#identity.user_id !== userId) return "Your identity changed in another tab. Try again.";
        this.#setName(outcome.name);
        return null;
      case "invalid":
        return `That name won't work: ${outcome.detail.replace(/^field "name" /, "it ")}.`;
      case "unauthorized":
        return "Your session has expired. Reload the page to carry on.";
      case "busy":
        return "Too many people are joining from your network just now. Try again in a moment.";
      case "unavailable":
        return "Couldn't reach Quick Chat. Check your connection and try again.";
    }
  }

  /**
   * Brings the history in line with the open conversation (`peerId`), so
   * that Back (a phone's gesture, the browser's button) closes it instead of
   * leaving the page: an entry of its own after the list's, replaced when
   * another one opens, and gone back past once none is open. While a back of
   * ours is under way, its `popstate` does this instead. Also at load, for a
   * conversation restored or an entry whose conversation was not: that entry
   * then becomes the list's, since going back from it at load could leave the
   * page if the entry before it is not the list's.
   */
  #syncHistory(peerId = this.#store.selected.value, atLoad = false): void {
    if (this.#backPending) return;
    const current = historyPeer(history.state);
    if (peerId === current) return;
    if (peerId === null && atLoad) {
      history.replaceState({ ...history.state, [HISTORY_PEER]: null }, "");
    } else if (peerId === null) {
      this.#backPending = true;
      history.back();
    } else if (current === null) {
      history.pushState({ ...history.state, [HISTORY_PEER]: peerId }, "");
    } else {
      history.replaceState({ ...history.state, [HISTORY_PEER]: peerId }, "");
    }
  }

  /** A keystroke in the open conversation's message box. */
  typed(): void {
    const peerId = this.#store.selected.value;
    if (peerId !== null) this.#typing.input(peerId);
  }

  /** The message box was emptied or left. */
  stoppedTyping(): void {
    this.#typing.stop();
  }

  /** Comes back after a logout or too many tabs; otherwise retries at once. */
  reconnect(): void {
    this.#held = false;
    if (this.#stopReason === null) {
      this.#retryNow();
      return;
    }
    this.#stopReason = null;
    this.#presence.start();
    this.#chat.start();
  }

  /**
   * Registers before a socket (re)connects; sockets connecting together share
   * one registration. Never skipped: after a logout the server lists a user
   * again only when they register.
   */
  #ensureRegistered(): Promise<void> {
    if (this.#registration !== null) return this.#registration;
    this.#registration = this.#register().finally(() => (this.#registration = null));
    return this.#registration;
  }

  /**
   * Registers this tab's identity; if it is refused, makes a new one. The tabs
   * of a browser share one token cookie, so they register one at a time
   * (where the browser has Web Locks) and each first takes on the identity
   * another tab stored: a registration of one tab never takes the cookie from
   * under another's.
   */
  #register(): Promise<void> {
    const locks = typeof navigator === "undefined" ? undefined : navigator.locks;
    return locks ? locks.request(REGISTER_LOCK, () => this.#registerNow()) : this.#registerNow();
  }

  async #registerNow(): Promise<void> {
    for (let renewed = false;;) {
      const stored = loadIdentity(storage("localStorage"));
      // Without cookies, another tab's identity could not be proven here: each tab keeps its own.
      const follow = stored !== null && stored.user_id !== this.#identity.user_id && stored.user_id !== this.#refused;
      if (follow && !this.#cookieless) this.#adopt(stored);
      const identity = this.#identity;
      const outcome = await register(identity, { token: this.#tokenFor(identity.user_id) });
      const wasHeld = this.#held;
      this.#held = outcome.kind === "busy";
      if (outcome.kind === "busy") this.#store.heldUntil.value = Date.now() + outcome.retryAfterMs;
      if (this.#stopReason !== null) throw new Error("Registration no longer wanted: the session stopped");
      // Another tab's identity was taken on meanwhile: that one is to be registered, whatever became of this one.
      if (this.#identity.user_id !== identity.user_id) continue;
      if (outcome.kind === "ok") {
        if (outcome.token !== null) this.#token = { userId: identity.user_id, token: outcome.token };
        this.#setName(outcome.name);
        // Stored once bound to this browser, its token in the cookie: other tabs follow it from then on.
        saveIdentity(storage("localStorage"), this.#identity);
        // Let in: a socket still waiting out the server's time (each waits its own, spread over a second) need not,
        // and the page would meanwhile look as if it had lost a connection it never had.
        if (wasHeld) {
          for (const socket of [this.#presence, this.#chat]) if (socket.status === "waiting") socket.retryNow();
        }
        return;
      }
      // Too many new people from this network just now: the sockets try again when the server said.
      if (outcome.kind === "busy") throw new RetryLater(outcome.retryAfterMs);
      if (outcome.kind === "unavailable" || renewed) throw new Error(`Registration failed: ${outcome.kind}`);
      // The id is bound to another browser (401) or the stored identity is unusable (400): start afresh. Other
      // tabs of this browser follow (the storage listener), so that they do not take the cookie from each other.
      this.#refused = identity.user_id;
      this.#adopt(createIdentity(outcome.kind === "unauthorized" ? this.#identity.name : undefined));
      renewed = true;
    }
  }

  /** Becomes `identity`, with the conversations this tab saved for it. */
  #adopt(identity: Identity): void {
    const changed = this.#identity.user_id !== "" && this.#identity.user_id !== identity.user_id;
    this.#identity = identity;
    const saved = loadConversations(storage("sessionStorage"), identity.user_id);
    this.#readSent.clear();
    this.#readUnsent.clear();
    batch(() => {
      this.#store.me.value = identity;
      this.#store.conversations.value = saved.conversations;
      this.#store.selected.value = saved.selected;
    });
    // Messages that were on their way when the tab was reloaded go again (the server drops repeats).
    this.#outbox.disconnected();
    if (!changed) return;
    // Another person now: the old one's open conversation, notices and typing, either way, are not theirs.
    this.#hideElsewhere();
    clearTimeout(this.#noticeTimer);
    batch(() => {
      this.#store.notice.value = null;
      this.#store.typingPeers.value = new Set();
    });
    this.#typing.reset();
    this.#syncHistory();
    // A socket still open under the old id must follow.
    for (const socket of [this.#presence, this.#chat]) {
      if (socket.status === "open" || socket.status === "connecting") socket.restart();
    }
  }

  /** The token of `userId` to present, where the browser keeps no cookie. */
  #tokenFor(userId: string): string | null {
    return this.#cookieless && this.#token?.userId === userId ? this.#token.token : null;
  }

  /** `&token=…` for the sockets' URLs, or nothing where the cookie carries it. */
  #tokenParam(): string {
    const token = this.#tokenFor(this.#identity.user_id);
    return token === null ? "" : `&token=${encodeURIComponent(token)}`;
  }

  #setName(name: string): void {
    if (name === this.#identity.name) return;
    this.#identity = { ...this.#identity, name };
    saveIdentity(storage("localStorage"), this.#identity);
    this.#store.me.value = this.#identity;
  }

  #presenceFrame(frame: PresenceServerFrame): void {
    const store = this.#store;
    batch(() => {
      store.roster.value = applyPresence(store.roster.value, frame);
      store.rosterReady.value = true;
    });
    // Whoever left stopped typing with it: their "stop" may never come.
    for (const peerId of store.typingPeers.value) {
      if (!store.roster.value.has(peerId)) this.#peerTyping.set(peerId, "stop");
    }
    if (frame.type === "presence" && !this.#rosterFresh) {
      this.#rosterFresh = true;
      if (this.#chat.status === "open") this.#outbox.reconnected();
    } else {
      this.#outbox.flush();
    }
    // A rename in another tab of mine reaches this one through the roster.
    const me = this.#identity.user_id;
    const mine = frame.type === "presence"
      ? frame.users.find((user) => user.user_id === me)
      : frame.joins?.find((user) => user.user_id === me);
    if (mine !== undefined) this.#setName(mine.name);
  }

  #chatOpened(): void {
    if (this.#rosterFresh) this.#outbox.reconnected();
    for (const peerId of [...this.#readUnsent]) this.#sendRead(peerId);
    this.#seen(this.#store.selected.value);
  }

  #chatFrame(frame: ChatServerFrame): void {
    const store = this.#store;
    const me = this.#identity.user_id;
    switch (frame.type) {
      case "dm": {
        const peerId = frame.from === me ? frame.to : frame.from;
        const name = store.roster.value.get(peerId) ?? store.conversations.value.get(peerId)?.peerName ?? "Someone";
        const inView = this.#inView(peerId);
        const received = receiveDm(store.conversations.value, me, frame, name, inView);
        if (frame.id !== undefined && frame.from === me) this.#outbox.acknowledged(frame.id);
        store.conversations.value = received.conversations;
        if (received.incoming) this.#peerTyping.set(peerId, "stop");
        if (received.incoming && inView) this.#seen(peerId);
        const open = store.selected.value;
        if (received.incoming && open !== null && open !== peerId) this.#showElsewhere(peerId, name, frame.text);
        break;
      }
      case "typing":
        if (frame.from !== me) this.#peerTyping.set(frame.from, frame.state);
        break;
      case "read":
        store.conversations.value = receiveRead(store.conversations.value, me, frame);
        if (frame.from === me) this.#readSent.set(frame.to, frame.id);
        break;
      case "error":
        this.#chatError(frame);
        break;
    }
  }

  #chatError(frame: ErrorFrame): void {
    const store = this.#store;
    if (frame.id !== undefined && frame.code === "PEER_OFFLINE" && this.#outbox.peerOffline(frame.id)) return;
    const requeued = frame.id !== undefined && frame.code === "RATE_LIMITED" && this.#outbox.rateLimited(frame.id);
    if (frame.id !== undefined && !requeued) {
      store.conversations.value = failMessage(store.conversations.value, frame.id, {
        code: frame.code,
        detail: frame.detail,
      });
      return;
    }
    // These come just before a close, which says the same.
    if (frame.code === "UNAUTHORIZED" || frame.code === "TOO_MANY_CONNECTIONS") return;
    clearTimeout(this.#noticeTimer);
    store.notice.value = describeProblem(frame.code, frame.detail, "");
    this.#noticeTimer = setTimeout(() => (store.notice.value = null), NOTICE_SHOWN_MS);
  }

  /** Points out a message from someone else in the open conversation, for a while in view. */
  #showElsewhere(peerId: string, name: string, text: string): void {
    this.#store.elsewhere.value = { peerId, name, text };
    this.#hideElsewhereLater();
  }

  /** Takes the message pointed out away after its while, counted only while the page is in view. */
  #hideElsewhereLater(): void {
    clearTimeout(this.#elsewhereTimer);
    if (this.#store.elsewhere.value === null || document.visibilityState !== "visible") return;
    this.#elsewhereTimer = setTimeout(() => this.#hideElsewhere(), ELSEWHERE_SHOWN_MS);
  }

  #hideElsewhere(): void {
    clearTimeout(this.#elsewhereTimer);
    this.#store.elsewhere.value = null;
  }

  /** The conversation with `peerId` is in view: clears its unread count and tells the peer. */
  #seen(peerId: string | null): void {
    if (peerId === null || !this.#inView(peerId)) return;
    const store = this.#store;
    store.conversations.value = markRead(store.conversations.value, peerId);
    this.#sendRead(peerId);
  }

  /** Tells the peer how far I have read their messages, now or once the chat socket is open again. */
  #sendRead(peerId: string): void {
    const id = lastReadableId(this.#store.conversations.value.get(peerId), this.#identity.user_id);
    if (id !== undefined && this.#readSent.get(peerId) !== id) {
      if (!this.#chat.send({ type: "read", to: peerId, id })) {
        this.#readUnsent.add(peerId);
        return;
      }
      this.#readSent.set(peerId, id);
    }
    this.#readUnsent.delete(peerId);
  }

  #inView(peerId: string): boolean {
    const store = this.#store;
    return store.selected.value === peerId && store.readingLatest.value && document.visibilityState === "visible";
  }

  #socketStatus(socket: "presence" | "chat", status: SocketStatus): void {
    const wasOpen = this.#statuses[socket] === "open";
    this.#statuses[socket] = status;
    if (wasOpen && status !== "open") {
      if (socket === "presence") {
        this.#rosterFresh = false;
        this.#outbox.hold();
      } else {
        this.#outbox.disconnected();
      }
    }
    this.#updateConnection();
  }

  #updateConnection(): void {
    const { presence, chat } = this.#statuses;
    let state: ConnectionState;
    if (this.#stopReason !== null) state = this.#stopReason;
    else if (presence === "open" && chat === "open") state = "online";
    else if (this.#held) state = "held";
    else if (this.#everOnline || presence === "waiting" || chat === "waiting") state = "reconnecting";
    else state = "connecting";
    if (state === "online") this.#everOnline = true;
    this.#store.connection.value = state;
  }

  #stopped(reason: StopReason): void {
    this.#stopReason = reason;
    this.#typing.reset();
    this.#presence.stop();
    this.#chat.stop();
    this.#updateConnection();
  }

  /** Tries again at once, unless the server asked to wait: trying sooner would only be refused again. */
  #retryNow(): void {
    if (this.#held) return;
    this.#presence.retryNow();
    this.#chat.retryNow();
  }
}

/** A web storage, or `null` where the browser refuses it (blocked cookies, some private modes). */
function storage(name: "localStorage" | "sessionStorage"): Storage | null {
  try {
    return globalThis[name] ?? null;
  } catch {
    return null;
  }
}
