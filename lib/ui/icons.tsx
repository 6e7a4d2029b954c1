/**
 * The few line icons the chat uses, drawn inline (no requests, no inline
 * styles) and hidden from screen readers: whatever carries them names them.
 *
 * @example
 * ```tsx
 * <button aria-label="Send"><SendIcon /></button>
 * ```
 *
 * @module
 */
import type { ComponentChildren } from "preact";

function Icon({ children, class: className = "size-5" }: { children: ComponentChildren; class?: string }) {
  return (
    <svg
      aria-hidden="true"
      focusable="false"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      class={className}
    >
      {children}
    </svg>
  );
}

/** A paper plane. */
export function SendIcon(props: { class?: string }) {
  return (
    <Icon {...props}>
      <path d="M5 12 3 4l18 8-18 8 2-8Zm0 0h7" />
    </Icon>
  );
}

/** An arrow pointing left. */
export function BackIcon(props: { class?: string }) {
  return (
    <Icon {...props}>
      <path d="M15 18l-6-6 6-6" />
    </Icon>
  );
}

/** A pencil. */
export function PencilIcon(props: { class?: string }) {
  return (
    <Icon {...props}>
      <path d="M4 20h4L19 9a2.8 2.8 0 0 0-4-4L4 16v4Z" />
      <path d="m13.5 6.5 4 4" />
    </Icon>
  );
}

/** A magnifying glass. */
export function SearchIcon(props: { class?: string }) {
  return (
    <Icon {...props}>
      <circle cx="11" cy="11" r="7" />
      <path d="m20 20-3.5-3.5" />
    </Icon>
  );
}

/** One tick: sent. */
export function CheckIcon(props: { class?: string }) {
  return (
    <Icon {...props}>
      <path d="m5 12.5 4.5 4.5L19 7.5" />
    </Icon>
  );
}

/** Two ticks: delivered or read. */
export function DoubleCheckIcon(props: { class?: string }) {
  return (
    <Icon {...props}>
      <path d="m2 12.5 4.5 4.5L16 7.5" />
      <path d="m11.5 16 1 1L22 7.5" />
    </Icon>
  );
}

/** A clock: waiting to be sent. */
export function ClockIcon(props: { class?: string }) {
  return (
    <Icon {...props}>
      <circle cx="12" cy="12" r="8.5" />
      <path d="M12 7.5V12l3 2" />
    </Icon>
  );
}

/** An exclamation mark in a circle. */
export function AlertIcon(props: { class?: string }) {
  return (
    <Icon {...props}>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 7.5v5.5M12 16.5v.01" />
    </Icon>
  );
}

/** Two speech bubbles. */
export function ChatIcon(props: { class?: string }) {
  return (
    <Icon {...props}>
      <path d="M14 9a5 5 0 0 0-5-5H7a5 5 0 0 0-3.6 8.5L3 16l3.2-1.3A5 5 0 0 0 7 14h2a5 5 0 0 0 5-5Z" />
      <path d="M10 17a5 5 0 0 0 5 3h1.8l3.2 1.3-.4-3.5A5 5 0 0 0 17 10h-.2" />
    </Icon>
  );
}

/** An arrow pointing down. */
export function ArrowDownIcon(props: { class?: string }) {
  return (
    <Icon {...props}>
      <path d="M12 5v14M6 13l6 6 6-6" />
    </Icon>
  );
}
