import type { PageProps } from "fresh";

export default function NotFound({ url }: PageProps) {
  return (
    <main class="mx-auto max-w-xl p-8">
      <h1 class="text-2xl font-semibold">Page not found</h1>
      <p class="mt-2">
        Nothing lives at <code>{url.pathname}</code>. <a class="underline" href="/">Back to the chat</a>
      </p>
    </main>
  );
}
