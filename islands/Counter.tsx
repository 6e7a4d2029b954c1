import { useSignal } from "@preact/signals";

/** A button that counts its clicks, proving that islands hydrate. */
export default function Counter({ start }: { start: number }) {
  const count = useSignal(start);
  return (
    <button
      type="button"
      class="rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500"
      onClick={() => count.value++}
    >
      Clicked {count} times
    </button>
  );
}
