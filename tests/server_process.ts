/**
 * Runs Quick Chat as a separate process, exactly as `deno task start` does
 * (same permission flags), for tests that stop, kill or multiply servers.
 */
import { loadConfig } from "../fresh.config.ts";
import { localAccess, netAccess } from "../lib/net_access.ts";
import { TEST_ENV } from "./harness.ts";

const root = new URL("../", import.meta.url);

/**
 * The `deno` arguments of a task's last command, so tests run the server with
 * its real permissions; the `--allow-net=$(…)` step is computed for `env`.
 */
export async function taskArgs(task: "start" | "serve", env: Record<string, string>): Promise<string[]> {
  const tasks = JSON.parse(await Deno.readTextFile(new URL("deno.json", root))).tasks;
  const config = loadConfig(env);
  const command = (tasks[task] as string).split("&&").at(-1)!.trim()
    .replace(/--allow-net=\$\([^)]*\)/, `--allow-net=${netAccess(config)}`)
    .replace(/\$\([^)]*--local\)/, localAccess(config));
  return command.split(/\s+/).slice(1);
}

/** A server process and what it printed. */
export class ServerProcess {
  readonly child: Deno.ChildProcess;
  readonly url: URL;
  readonly instanceId: string;
  readonly lines: string[];

  private constructor(child: Deno.ChildProcess, url: URL, instanceId: string, lines: string[]) {
    this.child = child;
    this.url = url;
    this.instanceId = instanceId;
    this.lines = lines;
  }

  /** Starts a server and waits until it listens. */
  static async start(env: Record<string, string>): Promise<ServerProcess> {
    return await (await ServerProcess.spawn(env)).listening;
  }

  /** Starts a server; `listening` resolves once it listens, `lines` fill as it logs. */
  static async spawn(env: Record<string, string>): Promise<{
    child: Deno.ChildProcess;
    lines: string[];
    nextLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
    listening: Promise<ServerProcess>;
  }> {
    const fullEnv = { ...TEST_ENV, LOG_LEVEL: "info", ...env };
    const child = new Deno.Command(Deno.execPath(), {
      args: await taskArgs("start", fullEnv),
      cwd: root.pathname,
      env: fullEnv,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const lines: string[] = [];
    const listening = Promise.withResolvers<{ port: number; instance_id: string }>();
    const waiters = new Set<() => void>();
    const collect = async (stream: ReadableStream<Uint8Array<ArrayBuffer>>) => {
      const decoder = new TextDecoder();
      let buffer = "";
      for await (const chunk of stream) {
        buffer += decoder.decode(chunk, { stream: true });
        const parts = buffer.split("\n");
        buffer = parts.pop()!;
        for (const line of parts) {
          lines.push(line);
          if (line.includes('"server.listening"')) listening.resolve(JSON.parse(line));
        }
        for (const wake of [...waiters]) wake();
      }
      listening.reject(new Error(`The server exited before listening:\n${lines.join("\n")}`));
    };
    collect(child.stdout);
    collect(child.stderr);
    listening.promise.catch(() => {});
    const nextLine = async (pattern: RegExp, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      for (let seen = 0;;) {
        for (; seen < lines.length; seen++) if (pattern.test(lines[seen])) return lines[seen];
        if (Date.now() > deadline) throw new Error(`No log line matching ${pattern}:\n${lines.join("\n")}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, deadline - Date.now());
          function done() {
            clearTimeout(timer);
            waiters.delete(done);
            resolve();
          }
          waiters.add(done);
        });
      }
    };
    return {
      child,
      lines,
      nextLine,
      listening: listening.promise.then(({ port, instance_id }) =>
        new ServerProcess(child, new URL(`http://127.0.0.1:${port}`), instance_id, lines)
      ),
    };
  }

  /** Sends a signal and waits for the exit status. */
  async stop(signal: Deno.Signal = "SIGTERM"): Promise<Deno.CommandStatus> {
    try {
      this.child.kill(signal);
    } catch {
      // Already exited.
    }
    return await this.child.status;
  }
}
