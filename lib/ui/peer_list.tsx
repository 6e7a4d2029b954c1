/**
 * The list of people online, windowed so that thousands of them cost only
 * the rows in view: rows have a fixed height, and only those on screen (plus
 * a margin) are in the document. One row is tabbable; the arrow keys, Home,
 * End, Page Up and Page Down move between rows, and Enter opens one.
 *
 * @example
 * ```tsx
 * <PeerList store={store} />
 * ```
 *
 * @module
 */
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { type ChatStore, IS_BROWSER } from "../chat_store.ts";
import { PeerRow, ROW_HEIGHT } from "./peer_row.tsx";

/** Rows rendered beyond each edge of the view. */
const OVERSCAN = 6;
/** Rows assumed visible before the list is measured. */
const FIRST_PAINT_ROWS = 20;
/** Rows a Page Up or Page Down moves. */
const PAGE_ROWS = 8;

/** The windowed, keyboard-navigable list of peers. */
export function PeerList({ store }: { store: ChatStore }) {
  const peers = store.shownPeers.value;
  const selected = store.selected.value;
  const scroller = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const [view, setView] = useState({ top: 0, height: 0 });
  const [activeId, setActiveId] = useState<string | null>(null);
  /** The person whose row is to get focus once it is rendered. */
  const focusTarget = useRef<string | null>(null);
  const previousSelected = useRef(selected);
  /** The rows of the last render, to tell where a row that went was. */
  const previousPeers = useRef(peers);

  useLayoutEffect(() => {
    const element = scroller.current!;
    const measure = () => setView({ top: element.scrollTop, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  let activeIndex = activeId === null ? -1 : peers.findIndex((peer) => peer.user_id === activeId);
  if (activeIndex === -1 && selected !== null) activeIndex = peers.findIndex((peer) => peer.user_id === selected);
  if (activeIndex === -1) activeIndex = 0;

  // The focused row stays in the document wherever it goes, in view or not (below): focus is not lost to the
  // window moving, and the list never scrolls by itself to follow it. But moving an element, as a reorder does,
  // takes focus from it: a render that did so puts it back, unless focus is on its way to another row (the arrow
  // keys, End).
  const focusedBefore = IS_BROWSER ? focusedPeer(list.current) : undefined;
  useLayoutEffect(() => {
    const before = previousPeers.current;
    previousPeers.current = peers;
    if (focusedBefore === undefined || focusTarget.current !== null) return;
    if (document.activeElement !== null && document.activeElement !== document.body) return;
    const row = list.current?.querySelector<HTMLButtonElement>(`[data-peer="${focusedBefore}"]`);
    if (row) {
      row.focus({ preventScroll: true });
      return;
    }
    // Its person left the list: focus goes to the row that took its place (at the end, the one above) or, if the
    // reader had scrolled away from it, to the first row in view, where Tab would go: the list does not scroll.
    const index = Math.min(before.findIndex((peer) => peer.user_id === focusedBefore), peers.length - 1);
    if (index === -1) return;
    if (index >= first && index < last) moveTo(index);
    else list.current?.querySelector<HTMLButtonElement>('[data-peer][tabindex="0"]')?.focus({ preventScroll: true });
  });

  // Focus follows a move (the arrow keys, End, back from a conversation) once the row is rendered.
  useEffect(() => {
    const target = focusTarget.current;
    if (target === null) return;
    const active = document.activeElement;
    if (active !== null && active !== document.body && !list.current?.contains(active)) {
      // Focus went elsewhere meanwhile (the message box, the search): leave it there.
      focusTarget.current = null;
      return;
    }
    const row = list.current?.querySelector<HTMLButtonElement>(`[data-peer="${target}"]`);
    if (!row) {
      // Not rendered yet: its row comes with the next render, unless it left the list.
      if (!peers.some((peer) => peer.user_id === target)) focusTarget.current = null;
      return;
    }
    focusTarget.current = null;
    row.focus();
  });

  // A new search starts at the top of its results.
  const query = store.query.value;
  useEffect(() => {
    const element = scroller.current!;
    element.scrollTop = 0;
    setView({ top: 0, height: element.clientHeight });
  }, [query]);

  // Back from a conversation (the phone layout): focus returns to the person it was with.
  useEffect(() => {
    const left = previousSelected.current;
    previousSelected.current = selected;
    if (selected !== null || left === null) return;
    const index = peers.findIndex((peer) => peer.user_id === left);
    if (index !== -1) moveTo(index);
  }, [selected]);

  function moveTo(index: number) {
    const element = scroller.current!;
    const target = Math.max(0, Math.min(peers.length - 1, index));
    const rowTop = target * ROW_HEIGHT;
    let top = element.scrollTop;
    if (rowTop < top) top = rowTop;
    else if (rowTop + ROW_HEIGHT > top + element.clientHeight) top = rowTop + ROW_HEIGHT - element.clientHeight;
    element.scrollTop = top;
    setView({ top, height: element.clientHeight });
    setActiveId(peers[target]?.user_id ?? null);
    focusTarget.current = peers[target]?.user_id ?? null;
  }

  // Whichever way focus came to a row (Tab, a click, the search box's arrow), Tab comes back to that row.
  function onFocusIn(event: FocusEvent) {
    const userId = (event.target as HTMLElement).closest<HTMLElement>("[data-peer]")?.dataset.peer;
    if (userId !== undefined) setActiveId(userId);
  }

  function onKeyDown(event: KeyboardEvent) {
    // Start from the row that has focus, wherever focus came from (a click, the search box).
    const focused = (event.target as HTMLElement).closest<HTMLElement>("[data-peer]")?.dataset.peer;
    const focusedIndex = focused === undefined ? -1 : peers.findIndex((peer) => peer.user_id === focused);
    if (focusedIndex !== -1) activeIndex = focusedIndex;
    const moves: Record<string, number> = {
      ArrowDown: activeIndex + 1,
      ArrowUp: activeIndex - 1,
      Home: 0,
      End: peers.length - 1,
      PageDown: activeIndex + PAGE_ROWS,
      PageUp: activeIndex - PAGE_ROWS,
    };
    const index = moves[event.key];
    if (index === undefined || peers.length === 0) return;
    event.preventDefault();
    moveTo(index);
  }

  const height = view.height || FIRST_PAINT_ROWS * ROW_HEIGHT;
  // The list may have shrunk since the last scroll event (a search, people leaving).
  const top = Math.min(view.top, Math.max(0, peers.length * ROW_HEIGHT - height));
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(peers.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
  // Inline styles only in the browser: the page's CSP forbids them in server-rendered markup.
  const windowStyle = IS_BROWSER
    ? { height: `${peers.length * ROW_HEIGHT}px`, paddingTop: `${first * ROW_HEIGHT}px` }
    : undefined;
  const shown = peers.slice(first, last).map((peer, offset) => ({ peer, index: first + offset }));
  // The focused row, when outside the rows rendered, is kept at its place.
  const focusedIndex = focusedBefore === undefined ? -1 : peers.findIndex((peer) => peer.user_id === focusedBefore);
  const kept = focusedIndex !== -1 && (focusedIndex < first || focusedIndex >= last) ? focusedIndex : null;
  // Tab reaches the list at its active row, or, when that one is scrolled out of the document, at the first row in
  // view: a list with no tabbable row would leave the keyboard outside it.
  const activeRendered = (activeIndex >= first && activeIndex < last) || activeIndex === kept;
  const tabbableIndex = activeRendered ? activeIndex : Math.min(last - 1, Math.ceil(top / ROW_HEIGHT));

  return (
    <div
      ref={scroller}
      class="relative min-h-0 flex-1 overflow-y-auto overscroll-contain px-2 pb-3"
      onScroll={(event) => setView({ top: event.currentTarget.scrollTop, height: event.currentTarget.clientHeight })}
    >
      <ul
        ref={list}
        role="list"
        aria-label="People"
        class="relative box-border"
        style={windowStyle}
        onKeyDown={onKeyDown}
        onFocusIn={onFocusIn}
      >
        {shown.map(({ peer, index }) => (
          <li key={peer.user_id} aria-setsize={peers.length} aria-posinset={index + 1}>
            <PeerRow store={store} peer={peer} tabbable={index === tabbableIndex} />
          </li>
        ))}
        {kept !== null && (
          <li
            key={peers[kept].user_id}
            class="absolute inset-x-0"
            style={{ top: `${kept * ROW_HEIGHT}px` }}
            aria-setsize={peers.length}
            aria-posinset={kept + 1}
          >
            <PeerRow store={store} peer={peers[kept]} tabbable={kept === tabbableIndex} />
          </li>
        )}
      </ul>
      <ListPlaceholder store={store} />
    </div>
  );
}

/** The peer whose row has focus, if one in `list` has. */
function focusedPeer(list: HTMLElement | null): string | undefined {
  const active = document.activeElement;
  if (list === null || active === null || !list.contains(active)) return undefined;
  return active.closest<HTMLElement>("[data-peer]")?.dataset.peer;
}

/** What the list says when it has no rows to show. */
function ListPlaceholder({ store }: { store: ChatStore }) {
  if (!store.rosterReady.value) {
    return <p class="px-3 py-6 text-center text-sm text-slate-500 dark:text-slate-400">Looking for people online…</p>;
  }
  if (store.peers.value.length === 0) {
    return (
      <div class="px-4 py-8 text-center">
        <p class="font-medium">No one else is here yet</p>
        <p class="mt-1 text-sm text-slate-500 dark:text-slate-400">
          Share this page's address, or open it in another browser, to start a conversation.
        </p>
      </div>
    );
  }
  if (store.shownPeers.value.length === 0) {
    return (
      <p class="px-3 py-6 text-center text-sm text-slate-500 dark:text-slate-400">
        No one matches “{store.query.value.trim()}”.
      </p>
    );
  }
  return null;
}
