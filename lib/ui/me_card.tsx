/**
 * Who I am: my avatar and name, with a button to change the name in place.
 *
 * @example
 * ```tsx
 * <MeCard store={store} nameMax={32} />
 * ```
 *
 * @module
 */
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { ChatStore } from "../chat_store.ts";
import { Avatar } from "./avatar.tsx";
import { PencilIcon } from "./icons.tsx";
import { RenameForm } from "./rename_form.tsx";

/** Props of {@link MeCard}. */
export interface MeCardProps {
  store: ChatStore;
  /** Longest name the server accepts. */
  nameMax: number;
}

/** My identity, renamable. */
export function MeCard({ store, nameMax }: MeCardProps) {
  const me = store.me.value;
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  // In the same commit that shows the button again, so focus is never left on nothing in between.
  useLayoutEffect(() => {
    if (!editing && returnFocus.current) {
      returnFocus.current = false;
      editButton.current?.focus();
    }
  }, [editing]);

  if (editing && me !== null) {
    return (
      <RenameForm
        store={store}
        current={me.name}
        nameMax={nameMax}
        onDone={() => {
          returnFocus.current = true;
          setEditing(false);
        }}
      />
    );
  }
  return (
    <div class="mx-3 flex items-center gap-3 rounded-2xl bg-slate-100/80 p-3 dark:bg-slate-800/60">
      {me === null
        ? <span aria-hidden="true" class="size-10 shrink-0 rounded-full bg-slate-300 dark:bg-slate-700" />
        : <Avatar userId={me.user_id} name={me.name} />}
      <div class="min-w-0 flex-1">
        <p class="text-xs text-slate-600 dark:text-slate-400">You're chatting as</p>
        <p dir="auto" class="truncate text-left font-semibold" data-testid="my-name">{me?.name ?? "…"}</p>
      </div>
      <button
        ref={editButton}
        type="button"
        disabled={me === null}
        aria-label="Change your name"
        title="Change your name"
        class="rounded-full p-2 text-slate-500 hover:bg-slate-200 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-500 disabled:opacity-40 dark:text-slate-400 dark:hover:bg-slate-700 dark:hover:text-white"
        onClick={() => setEditing(true)}
      >
        <PencilIcon class="size-4" />
      </button>
    </div>
  );
}
