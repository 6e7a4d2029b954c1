/**
 * Waits for a condition that no event announces, such as a table emptying:
 * checks it every `intervalMs` until it holds, and fails after `timeoutMs`
 * naming what it waited for. Returns how long it took, in milliseconds.
 *
 * @example
 * ```ts
 * await waitUntil("no connection rows", async () => (await countConnections()) === 0);
 * ```
 */
export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  { timeoutMs = 10_000, intervalMs = 25 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<number> {
  const startedAt = performance.now();
  while (!await condition()) {
    const elapsed = performance.now() - startedAt;
    if (elapsed > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return performance.now() - startedAt;
}
