/**
 * The inline form to change my display name: Enter saves, Escape cancels,
 * and the server's refusal is shown under the field.
 *
 * @example
 * ```tsx
 * <RenameForm store={store} current="Amber Otter" nameMax={32} onDone={close} />
 * ```
 *
 * @module
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { ChatStore } from "../chat_store.ts";

/** Props of {@link RenameForm}. */
export interface RenameFormProps {
  store: ChatStore;
  current: string;
  nameMax: number;
  /** The form is finished with, saved or cancelled. */
  onDone(): void;
}

/** Edits my name. */
export function RenameForm({ store, current, nameMax, onDone }: RenameFormProps) {
  const [name, setName] = useState(current);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  async function save(event: Event) {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed === "") return setProblem("Your name can't be empty.");
    if (trimmed.length > nameMax) return setProblem(`Keep it to ${nameMax} characters or fewer.`);
    if (trimmed === current) return onDone();
    setSaving(true);
    const result = await store.rename(trimmed);
    setSaving(false);
    if (result === null) onDone();
    else setProblem(result);
  }

  return (
    <form
      class="mx-3 rounded-2xl bg-slate-100/80 p-3 dark:bg-slate-800/60"
      onSubmit={save}
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          onDone();
        }
      }}
    >
      <label for="rename-input" class="text-xs font-medium text-slate-600 dark:text-slate-300">Your name</label>
      <input
        ref={input}
        id="rename-input"
        type="text"
        autocomplete="nickname"
        maxLength={nameMax}
        value={name}
        aria-invalid={problem !== null}
        aria-describedby={problem !== null ? "rename-problem" : undefined}
        class="mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 dark:border-slate-600 dark:bg-slate-900"
        onInput={(event) => {
          setName(event.currentTarget.value);
          setProblem(null);
        }}
      />
      {problem !== null && (
        <p id="rename-problem" role="alert" class="mt-1.5 text-xs text-rose-700 dark:text-rose-300">{problem}</p>
      )}
      <div class="mt-2 flex justify-end gap-2">
        <button
          type="button"
          class="rounded-lg px-3 py-1 text-sm font-medium text-slate-600 hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-slate-300 dark:hover:bg-slate-700"
          onClick={onDone}
        >
          Cancel
        </button>
        <button
          type="submit"
          disabled={saving}
          class="rounded-lg bg-indigo-600 px-3 py-1 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 disabled:opacity-60"
        >
          {saving ? "Saving…" : "Save"}
        </button>
      </div>
    </form>
  );
}
