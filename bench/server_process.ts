/**
 * The systems under test, each run as its own process so the load generator
 * and the server never share an event loop, and the server's memory and CPU
 * can be read from `/proc`.
 *
 * @example
 * ```ts
 * const server = await ServerProcess.start({ target: "relay" });
 * console.log(server.url.href, server.pid);
 * await server.stop();
 * ```
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { loadConfig } from "../fresh.config.ts";
import { localAccess } from "../lib/net_access.ts";

/** Which server to run: Quick Chat itself, the Node.js `ws` relay baseline, or the same relay on Deno. */
export type Target = "quickchat" | "relay" | "deno-relay";

/** How each target is named in the report. */
export const TARGET_NAMES: Record<Target, string> = {
  "quickchat": "Quick Chat",
  "relay": "relay",
  "deno-relay": "Deno relay",
};

/** How to start a server. */
export interface ServerOptions {
  target: Target;
  /** PostgreSQL for Quick Chat; its embedded database when absent. */
  databaseUrl?: string;
  /** Echo the server's output, prefixed with `name`. */
  verbose?: boolean;
  /** A label for logs and errors, such as `quickchat-b`. */
  name?: string;
}

const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));
const BASELINE_DIR = fileURLToPath(new URL("./baseline/", import.meta.url));
const HEALTH_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 5_000;
const TAIL_LINES = 40;

// Process-wide on purpose: an interrupted run must still stop every server it started.
const running = new Set<ServerProcess>();

/** A running server process. */
export class ServerProcess {
  /** Base URL, such as `http://127.0.0.1:41234`. */
  readonly url: URL;
  /** The server's own process id (the `deno` or `node` process, not a shell). */
  readonly pid: number;
  /** Label used in logs. */
  readonly name: string;
  /** Whether Quick Chat's embedded database runs in the server's own process, where its memory counts. */
  readonly databaseInProcess: boolean;
  #child: Deno.ChildProcess;
  #tail: string[] = [];
  #exitCode: number | undefined;

  private constructor(
    name: string,
    url: URL,
    child: Deno.ChildProcess,
    { verbose, databaseInProcess }: { verbose: boolean; databaseInProcess: boolean },
  ) {
    this.name = name;
    this.databaseInProcess = databaseInProcess;
    this.url = url;
    this.pid = child.pid;
    this.#child = child;
    this.#collect(child.stdout, verbose);
    this.#collect(child.stderr, verbose);
    child.status.then((status) => this.#exitCode = status.code);
  }

  /** Starts a server on a free loopback port and resolves once `GET /health` answers 200. */
  static async start(options: ServerOptions): Promise<ServerProcess> {
    if (options.target === "relay") await ensureBaselineInstalled();
    const port = freePort();
    const { command, databaseInProcess } = options.target === "relay"
      ? { command: relayCommand(port), databaseInProcess: false }
      : options.target === "deno-relay"
      ? { command: denoRelayCommand(port), databaseInProcess: false }
      : quickChatCommand(port, options.databaseUrl);
    const child = command.spawn();
    const name = options.name ?? options.target;
    const server = new ServerProcess(name, new URL(`http://127.0.0.1:${port}`), child, {
      verbose: options.verbose ?? false,
      databaseInProcess,
    });
    running.add(server);
    try {
      await server.#waitHealthy();
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  /** The last lines the server printed, for error messages. */
  get output(): string {
    return this.#tail.join("\n");
  }

  /** Asks the server to shut down (SIGTERM), and kills it if it does not within 5 s. */
  async stop(): Promise<void> {
    running.delete(this);
    if (this.#exitCode !== undefined) return;
    const timer = setTimeout(() => this.#signal("SIGKILL"), STOP_TIMEOUT_MS);
    this.#signal("SIGTERM");
    await this.#child.status;
    clearTimeout(timer);
  }

  #signal(signal: Deno.Signal): void {
    try {
      this.#child.kill(signal);
    } catch {
      // It exited between the check and the signal.
    }
  }

  async #waitHealthy(): Promise<void> {
    const started = performance.now();
    const health = new URL("/health", this.url);
    while (performance.now() - started < HEALTH_TIMEOUT_MS) {
      if (this.#exitCode !== undefined) {
        // The first line names the cause; the server's last lines follow for the whole story.
        const cause = this.#tail.find((line) => /error/i.test(line))?.trim() ?? "no error printed";
        throw new Error(
          `Server "${this.name}" exited (code ${this.#exitCode}) before it was healthy: ${cause}\n${this.output}`,
        );
      }
      try {
        const response = await fetch(health);
        await response.body?.cancel();
        if (response.status === 200) return;
      } catch {
        // Not listening yet: there is no readiness event to wait on, so try again shortly.
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(
      `Server "${this.name}" did not answer GET /health within ${HEALTH_TIMEOUT_MS / 1000} s:\n${this.output}`,
    );
  }

  async #collect(stream: ReadableStream<Uint8Array>, verbose: boolean): Promise<void> {
    const decoder = new TextDecoder();
    let pending = "";
    for await (const bytes of stream) {
      const lines = (pending + decoder.decode(bytes, { stream: true })).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        if (verbose) console.error(`[${this.name}] ${line}`);
        this.#tail.push(line);
        if (this.#tail.length > TAIL_LINES) this.#tail.shift();
      }
    }
  }
}

/** Stops every server this process started and has not stopped yet. */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop()));
}

/** Installs the relay's `ws` from its lock file (`npm ci`) when `node_modules` is missing. */
export async function ensureBaselineInstalled(): Promise<void> {
  try {
    await Deno.stat(`${BASELINE_DIR}node_modules/ws/package.json`);
    return;
  } catch {
    // Not installed yet.
  }
  console.error("Installing the relay baseline's dependencies (npm ci in bench/baseline)…");
  const { success, stderr } = await new Deno.Command("npm", {
    args: ["ci", "--no-audit", "--no-fund"],
    cwd: BASELINE_DIR,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!success) throw new Error(`npm ci failed in bench/baseline:\n${new TextDecoder().decode(stderr)}`);
}

/** Version of the relay's `ws` package, once installed. */
export function baselineWsVersion(): string {
  const manifest = JSON.parse(Deno.readTextFileSync(`${BASELINE_DIR}node_modules/ws/package.json`));
  return String(manifest.version);
}

function quickChatCommand(
  port: number,
  databaseUrl: string | undefined,
): { command: Deno.Command; databaseInProcess: boolean } {
  const env: Record<string, string> = {
    PORT: String(port),
    HOST: "127.0.0.1",
    // The limits protect real users; the benchmark offers far more than one person types.
    RATE_LIMIT_PER_SEC: "100000",
    RATE_LIMIT_BURST: "100000",
    // All the benchmark's users register from one address.
    REGISTER_RATE_PER_MIN: "1000000",
    REGISTER_BURST: "1000000",
    // Plain output, so the lines kept for error messages carry no colour codes.
    NO_COLOR: "1",
  };
  if (databaseUrl !== undefined) env.DATABASE_URL = databaseUrl;
  // Extra settings for experiments, e.g. BENCH_SERVER_ENV="WS_IDLE_TIMEOUT_S=3600 LOG_LEVEL=warn".
  for (const pair of Deno.env.get("BENCH_SERVER_ENV")?.split(/\s+/).filter(Boolean) ?? []) {
    const [name, ...value] = pair.split("=");
    env[name] = value.join("=");
  }
  // The start task's file and program permissions: with the embedded database, Deno itself for its process.
  const config = loadConfig(env);
  const local = localAccess(config).split(" ");
  const command = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", ...local, "--allow-env", ...extraDenoFlags(), "main.ts"],
    cwd: REPO_ROOT,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
  return { command, databaseInProcess: databaseUrl === undefined && !config.pgliteProcess };
}

function relayCommand(port: number): Deno.Command {
  return new Deno.Command("node", {
    args: ["relay.mjs"],
    cwd: BASELINE_DIR,
    env: { PORT: String(port), HOST: "127.0.0.1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

/** Extra runtime flags for the Deno servers, e.g. BENCH_SERVER_FLAGS="--cpu-prof --cpu-prof-dir=bench/results/prof". */
function extraDenoFlags(): string[] {
  return Deno.env.get("BENCH_SERVER_FLAGS")?.split(/\s+/).filter(Boolean) ?? [];
}

function denoRelayCommand(port: number): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net=127.0.0.1", "--allow-env=PORT,HOST", ...extraDenoFlags(), "bench/deno_relay.ts"],
    cwd: REPO_ROOT,
    env: { PORT: String(port), HOST: "127.0.0.1", NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

// The kernel picks a free port; it is released at once for the server to take.
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}
