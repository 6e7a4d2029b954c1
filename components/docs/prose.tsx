/**
 * The building blocks of the API reference page: sections, cards, code and
 * text whose `backticks` become inline code.
 *
 * @example
 * ```tsx
 * <Section id="auth" title="Authentication"><Prose text="Send the `token`." /></Section>
 * ```
 *
 * @module
 */
import type { ComponentChildren } from "preact";

/** Text in which `backticked` parts are code. */
export function Prose({ text }: { text: string }) {
  return <>{text.split("`").map((part, i) => i % 2 === 1 ? <Code key={i}>{part}</Code> : part)}</>;
}

/** Inline code. */
export function Code({ children }: { children: ComponentChildren }) {
  return (
    <code class="rounded-md bg-slate-100 px-1.5 py-0.5 font-mono text-[0.85em] text-slate-800 dark:bg-slate-800 dark:text-slate-200">
      {children}
    </code>
  );
}

/** A block of code, with an optional caption above it. */
export function CodeBlock({ code, label }: { code: string; label?: string }) {
  return (
    <figure class="mt-3">
      {label && (
        <figcaption class="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">
          {label}
        </figcaption>
      )}
      <pre class="overflow-x-auto rounded-xl bg-slate-900 p-4 text-sm leading-relaxed text-slate-100 ring-1 ring-slate-800 dark:bg-slate-950"><code>{code}</code></pre>
    </figure>
  );
}

/** A JSON value, pretty-printed. */
export function JsonBlock({ value, label }: { value: unknown; label?: string }) {
  return <CodeBlock code={typeof value === "string" ? value : JSON.stringify(value, null, 2)} label={label} />;
}

/** A titled part of the page, reachable at `#id`. */
export function Section({ id, title, intro, children }: {
  id: string;
  title: string;
  intro?: string;
  children: ComponentChildren;
}) {
  return (
    <section id={id} class="scroll-mt-6">
      <h2 class="text-2xl font-semibold tracking-tight">{title}</h2>
      {intro && (
        <p class="mt-2 max-w-3xl text-slate-600 dark:text-slate-300">
          <Prose text={intro} />
        </p>
      )}
      <div class="mt-5 space-y-5">{children}</div>
    </section>
  );
}

/** A card holding one endpoint or table. */
export function Card({ id, children }: { id?: string; children: ComponentChildren }) {
  return (
    <article
      id={id}
      class="scroll-mt-6 rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-6 dark:bg-slate-900 dark:ring-slate-800"
    >
      {children}
    </article>
  );
}

const BADGE = {
  GET: "bg-emerald-100 text-emerald-800 dark:bg-emerald-500/15 dark:text-emerald-300",
  POST: "bg-indigo-100 text-indigo-800 dark:bg-indigo-500/15 dark:text-indigo-300",
  WS: "bg-amber-100 text-amber-800 dark:bg-amber-500/15 dark:text-amber-200",
} as const;

/** An endpoint's method and path, as a heading. */
export function EndpointTitle(
  { method, path, summary }: { method: keyof typeof BADGE; path: string; summary: string },
) {
  return (
    <header>
      <h3 class="flex flex-wrap items-center gap-2 font-mono text-lg font-semibold">
        <span class={`rounded-lg px-2 py-0.5 text-sm font-bold ${BADGE[method]}`}>{method}</span>
        <span class="break-all">{path}</span>
      </h3>
      <p class="mt-1 font-medium text-slate-700 dark:text-slate-200">{summary}</p>
    </header>
  );
}

/** A small heading inside a card. */
export function Subheading({ children }: { children: ComponentChildren }) {
  return <h4 class="mt-5 text-sm font-semibold text-slate-900 dark:text-slate-100">{children}</h4>;
}

/** A column of a {@link Table}: its title and how to show an item in it. */
export interface Column<T> {
  title: string;
  cell(item: T): ComponentChildren;
}

/** A table of items, a row each. */
export function Table<T>({ columns, items, rowKey }: {
  columns: Column<T>[];
  items: readonly T[];
  rowKey(item: T): string;
}) {
  return (
    <div class="overflow-x-auto rounded-xl ring-1 ring-slate-200 dark:ring-slate-800">
      <table class="w-full text-left text-sm">
        <thead class="bg-slate-100 text-slate-600 dark:bg-slate-800/60 dark:text-slate-300">
          <tr>
            {columns.map((column) => (
              <th key={column.title} scope="col" class="px-3 py-2 font-semibold">{column.title}</th>
            ))}
          </tr>
        </thead>
        <tbody class="divide-y divide-slate-200 bg-white dark:divide-slate-800 dark:bg-slate-900">
          {items.map((item) => (
            <tr key={rowKey(item)} class="align-top">
              {columns.map((column) => <td key={column.title} class="px-3 py-2">{column.cell(item)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
