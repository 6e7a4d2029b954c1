import Counter from "../islands/Counter.tsx";

export default function Home() {
  return (
    <main class="mx-auto max-w-xl p-8">
      <h1 class="text-3xl font-bold">Quick Chat</h1>
      <p class="my-4">Anonymous one-to-one chat with whoever is online.</p>
      <Counter start={0} />
    </main>
  );
}
