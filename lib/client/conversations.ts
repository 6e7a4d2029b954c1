/**
 * The conversations of this tab, one per peer, as pure updates: each returns
 * a new map (and new arrays where something changed), so signals holding
 * them re-render exactly what changed.
 *
 * A message of mine goes `sending` (queued, socket not open) → `sent`
 * (written to the socket) → `delivered` (the server's echo: accepted and
 * handed to the peer's tabs) → `read` (the peer's read receipt), or
 * `failed` with the error code the server answered.
 *
 * @example
 * ```ts
 * conversations.value = addOutgoing(conversations.value, { me, peerId, peerName, text, id, at: Date.now() });
 * ```
 *
 * @module
 */
import type { DmFrame, ErrorCode, ReadFrame } from "../protocol.ts";

/** Where one of my messages stands. */
export type Delivery = "sending" | "sent" | "delivered" | "read" | "failed";

/** A message in a conversation. */
export interface ChatMessage {
  /** The client id it travels with; messages from clients that send none get a local one. */
  id: string;
  /** Whether `id` came over the wire, so a read receipt can name it. */
  wireId: boolean;
  from: string;
  text: string;
  /** Server time of acceptance, or the local time while mine is unacknowledged; epoch ms. */
  at: number;
  /** Mine only. */
  delivery?: Delivery;
  /** Why a message of mine failed. */
  error?: { code: ErrorCode | "UNKNOWN"; detail: string };
}

/** The conversation with one peer. */
export interface Conversation {
  peerId: string;
  /** The peer's name when last seen, for when they are offline. */
  peerName: string;
  messages: ChatMessage[];
  /** Their messages I have not seen yet. */
  unread: number;
}

/** Conversations by peer id. */
export type Conversations = ReadonlyMap<string, Conversation>;

/** How many messages a conversation keeps; older ones drop off. */
export const MESSAGES_KEPT = 300;

/** A message I am about to send. */
export interface Outgoing {
  me: string;
  peerId: string;
  peerName: string;
  text: string;
  id: string;
  at: number;
}

/** Adds a message of mine as `sending`. */
export function addOutgoing(conversations: Conversations, outgoing: Outgoing): Conversations {
  const { me, peerId, peerName, text, id, at } = outgoing;
  const message: ChatMessage = { id, wireId: true, from: me, text, at, delivery: "sending" };
  const conversation = conversations.get(peerId) ?? { peerId, peerName, messages: [], unread: 0 };
  return withConversation(conversations, {
    ...conversation,
    peerName,
    messages: append(conversation.messages, message),
  });
}

/** Sets the delivery of one of my messages, clearing any error unless it failed. */
export function setDelivery(
  conversations: Conversations,
  peerId: string,
  id: string,
  delivery: Delivery,
): Conversations {
  return updateMessage(conversations, peerId, id, (message) => {
    if (message.delivery === delivery) return message;
    const { error: _error, ...rest } = message;
    return { ...rest, delivery };
  });
}

/** Marks one of my messages, wherever it is, as failed with the server's error. */
export function failMessage(
  conversations: Conversations,
  id: string,
  error: { code: ErrorCode | "UNKNOWN"; detail: string },
): Conversations {
  for (const conversation of conversations.values()) {
    const index = conversation.messages.findLastIndex((message) => message.id === id && message.delivery);
    if (index === -1) continue;
    const message = conversation.messages[index];
    if (message.delivery === "delivered" || message.delivery === "read") return conversations;
    return updateMessage(conversations, conversation.peerId, id, () => ({ ...message, delivery: "failed", error }));
  }
  return conversations;
}

/** What receiving a dm did. */
export interface Received {
  conversations: Conversations;
  /** The peer of the conversation it belongs to. */
  peerId: string;
  /** Whether it is a new message from the peer (not an echo, not a repeat). */
  incoming: boolean;
}

/**
 * Takes in a dm frame: the echo of mine acknowledges it (or adds it, when
 * another tab of mine sent it); a peer's message is added once, counting as
 * unread unless the conversation is in view.
 */
export function receiveDm(
  conversations: Conversations,
  me: string,
  frame: DmFrame,
  peerName: string,
  inView: boolean,
): Received {
  const mine = frame.from === me;
  const peerId = mine ? frame.to : frame.from;
  const conversation = conversations.get(peerId) ?? { peerId, peerName, messages: [], unread: 0 };
  const known = frame.id === undefined
    ? -1
    : conversation.messages.findLastIndex((message) => message.id === frame.id && message.from === frame.from);
  if (known !== -1) {
    if (!mine) return { conversations, peerId, incoming: false };
    const message = conversation.messages[known];
    if (message.delivery === "read") return { conversations, peerId, incoming: false };
    const { error: _error, ...rest } = message;
    // In the server's order: a message retried after others were stamped goes after them, but not after
    // mine still on their way, which the server stamps later still.
    const others = conversation.messages.toSpliced(known, 1);
    let at = others.length;
    while (at > 0 && others[at - 1].at > frame.timestamp) at--;
    const waiting = others.findIndex((other, index) => index >= known && other.from === me && !isDelivered(other));
    if (waiting !== -1 && waiting < at) at = waiting;
    const messages = others.toSpliced(at, 0, { ...rest, at: frame.timestamp, delivery: "delivered" });
    return { conversations: withConversation(conversations, { ...conversation, messages }), peerId, incoming: false };
  }
  const message: ChatMessage = {
    id: frame.id ?? `local-${frame.timestamp}-${Math.random().toString(36).slice(2)}`,
    wireId: frame.id !== undefined,
    from: frame.from,
    text: frame.text,
    at: frame.timestamp,
    ...(mine ? { delivery: "delivered" as const } : {}),
  };
  const unread = mine || inView ? conversation.unread : conversation.unread + 1;
  const next = { ...conversation, peerName, messages: append(conversation.messages, message), unread };
  return { conversations: withConversation(conversations, next), peerId, incoming: !mine };
}

/**
 * Takes in a read receipt: from the peer, my messages up to and including
 * `id` are read; from another tab of mine, the conversation is read here too.
 */
export function receiveRead(conversations: Conversations, me: string, frame: ReadFrame): Conversations {
  if (frame.from === me) return markRead(conversations, frame.to);
  const conversation = conversations.get(frame.from);
  if (conversation === undefined) return conversations;
  const upTo = conversation.messages.findLastIndex((message) => message.id === frame.id && message.from === me);
  if (upTo === -1) return conversations;
  let changed = false;
  const messages = conversation.messages.map((message, index) => {
    // A message still waiting to go out cannot have been read, whatever its place.
    const unchanged = message.delivery === "read" || message.delivery === "failed" || message.delivery === "sending";
    if (index > upTo || message.from !== me || unchanged) return message;
    changed = true;
    return { ...message, delivery: "read" as const };
  });
  return changed ? withConversation(conversations, { ...conversation, messages }) : conversations;
}

/** Clears a conversation's unread count. */
export function markRead(conversations: Conversations, peerId: string): Conversations {
  const conversation = conversations.get(peerId);
  if (conversation === undefined || conversation.unread === 0) return conversations;
  return withConversation(conversations, { ...conversation, unread: 0 });
}

/** The id a read receipt for this conversation names: the peer's latest message with a wire id. */
export function lastReadableId(conversation: Conversation | undefined, me: string): string | undefined {
  return conversation?.messages.findLast((message) => message.from !== me && message.wireId)?.id;
}

/** My messages not yet acknowledged, to send (again) once the chat socket opens. */
export function unacknowledged(conversations: Conversations): { peerId: string; message: ChatMessage }[] {
  const pending: { peerId: string; message: ChatMessage }[] = [];
  for (const conversation of conversations.values()) {
    for (const message of conversation.messages) {
      if (message.delivery === "sending" || message.delivery === "sent") {
        pending.push({ peerId: conversation.peerId, message });
      }
    }
  }
  return pending;
}

/** A conversation as the list of peers sees it: when it last had a message, and the peer's name then. */
export interface Activity {
  at: number;
  peerName: string;
}

/** Each conversation with messages: for ordering the list, and listing peers who went offline. */
export function lastActivity(conversations: Conversations): Map<string, Activity> {
  const activity = new Map<string, Activity>();
  for (const conversation of conversations.values()) {
    const last = conversation.messages.at(-1);
    if (last !== undefined) activity.set(conversation.peerId, { at: last.at, peerName: conversation.peerName });
  }
  return activity;
}

/** Unread messages over all conversations. */
export function totalUnread(conversations: Conversations): number {
  let total = 0;
  for (const conversation of conversations.values()) total += conversation.unread;
  return total;
}

function updateMessage(
  conversations: Conversations,
  peerId: string,
  id: string,
  update: (message: ChatMessage) => ChatMessage,
): Conversations {
  const conversation = conversations.get(peerId);
  const index = conversation?.messages.findLastIndex((message) => message.id === id && message.delivery) ?? -1;
  if (conversation === undefined || index === -1) return conversations;
  const message = conversation.messages[index];
  const updated = update(message);
  if (updated === message) return conversations;
  return withConversation(conversations, { ...conversation, messages: conversation.messages.with(index, updated) });
}

function withConversation(conversations: Conversations, conversation: Conversation): Conversations {
  const next = new Map(conversations);
  next.set(conversation.peerId, conversation);
  return next;
}

function append(messages: ChatMessage[], message: ChatMessage): ChatMessage[] {
  const next = [...messages, message];
  return next.length > MESSAGES_KEPT ? next.slice(next.length - MESSAGES_KEPT) : next;
}

/** Whether the server took a message: delivered or read (a peer's messages always are). */
function isDelivered(message: ChatMessage): boolean {
  return message.delivery === undefined || message.delivery === "delivered" || message.delivery === "read";
}
