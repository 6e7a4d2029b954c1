/**
 * Runs a chat session (connect, memory, open and closed loop) in a load
 * generator process of its own. Each server under test thus meets a fresh
 * generator: measured here, the relay's open-loop p99 was 9.6–13.4 ms when
 * its session ran first and 16–27 ms when it ran in the same process right
 * after Quick Chat's, whose presence traffic had grown the generator's heap
 * and slowed its event loop.
 *
 * The child prints its outcome as one JSON document on stdout; its progress
 * goes to stderr, as the parent's does. It stops its servers and exits when
 * the parent goes away (its stdin closes) or is interrupted.
 *
 * @example
 * ```ts
 * const relay = await runChatSessionApart("relay", Deno.args);
 * ```
 *
 * @module
 */
import { parseOptions } from "./options.ts";
import type { Outcome } from "./results.ts";
import { type ChatSessionResult, runChatSession } from "./scenarios/chat_session.ts";
import { stopAllServers, type Target } from "./server_process.ts";

/** Runs `target`'s session in a child generator with the bench's own flags; throws when it could not measure. */
export async function runChatSessionApart(target: Target, args: string[]): Promise<ChatSessionResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", new URL(import.meta.url).pathname, target, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const { code, stdout } = await child.output();
  const text = new TextDecoder().decode(stdout).trim();
  let outcome: Outcome<ChatSessionResult>;
  try {
    outcome = JSON.parse(text);
  } catch {
    throw new Error(`the ${target} session's generator exited with code ${code} and no result`);
  }
  if ("failed" in outcome) throw new Error(outcome.failed);
  if ("skipped" in outcome) throw new Error(`the ${target} session was skipped: ${outcome.skipped}`);
  return outcome;
}

async function child(target: string, args: string[]): Promise<number> {
  if (target !== "quickchat" && target !== "relay") throw new Error(`Unknown session target "${target}"`);
  const options = parseOptions(args, Deno.env.get("DATABASE_URL"));
  if (options === "help") throw new Error("--help is not a session flag");
  let outcome: Outcome<ChatSessionResult>;
  try {
    outcome = await runChatSession(target, options, options.only);
  } catch (error) {
    outcome = { failed: error instanceof Error ? error.message : String(error) };
  }
  console.log(JSON.stringify(outcome));
  return 0;
}

if (import.meta.main) {
  const stop = async () => {
    await stopAllServers();
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  // The parent holds our stdin open for as long as it lives.
  (async () => {
    for await (const _ of Deno.stdin.readable) {
      // Nothing is sent; the loop ends when the parent goes away.
    }
    await stop();
  })();
  let code = 1;
  try {
    code = await child(Deno.args[0], Deno.args.slice(1));
  } catch (error) {
    console.error(error);
  } finally {
    await stopAllServers();
  }
  Deno.exit(code);
}
