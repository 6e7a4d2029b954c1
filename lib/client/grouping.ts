/**
 * Arranges a conversation for display: a separator where the day changes,
 * and consecutive messages of one sender, close in time, in one group that
 * shows the name and time once.
 *
 * @example
 * ```ts
 * for (const row of groupMessages(conversation.messages, Date.now())) render(row);
 * ```
 *
 * @module
 */
import type { ChatMessage } from "./conversations.ts";
import { dayKey, dayLabel } from "./time_format.ts";

/** Messages further apart than this start a new group. */
export const GROUP_GAP_MS = 5 * 60_000;

/** A row of the conversation. */
export type ConversationRow =
  | { kind: "day"; key: string; label: string }
  | { kind: "group"; key: string; from: string; messages: ChatMessage[] };

/** The rows of a conversation, in order. */
export function groupMessages(messages: readonly ChatMessage[], now: number, locale?: string): ConversationRow[] {
  const rows: ConversationRow[] = [];
  let day = "";
  let group: Extract<ConversationRow, { kind: "group" }> | null = null;
  for (const message of messages) {
    const key = dayKey(message.at);
    if (key !== day) {
      day = key;
      group = null;
      rows.push({ kind: "day", key: `day-${key}`, label: dayLabel(message.at, now, locale) });
    }
    const last = group?.messages.at(-1);
    if (group === null || group.from !== message.from || last === undefined || message.at - last.at > GROUP_GAP_MS) {
      group = { kind: "group", key: `group-${message.id}`, from: message.from, messages: [] };
      rows.push(group);
    }
    group.messages.push(message);
  }
  return rows;
}
