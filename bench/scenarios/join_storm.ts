/**
 * Presence join storm: users join one after another (register, open a
 * presence socket, wait for its snapshot, next), as a crowd arriving after a
 * link is shared. It measures how long until every socket's roster lists
 * everyone, and how many bytes the server sent to get there; in full mode
 * each change resends the whole roster, so the bytes grow with N².
 *
 * @example
 * ```ts
 * const result = await runJoinStorm({ mode: "diff", users: 2000, timeoutS: 60 });
 * ```
 *
 * @module
 */
import { openSocket, type PresenceMode, presenceUrl, register } from "../clients.ts";
import { log } from "../log.ts";
import { CpuMeter } from "../proc.ts";
import { RosterTracker } from "../roster_tracker.ts";
import { ServerProcess } from "../server_process.ts";
import { Samples, type Summary } from "../stats.ts";

/** How to run a join storm. */
export interface StormOptions {
  mode: PresenceMode;
  users: number;
  /** Give up (joining or converging) after this many seconds from the first join. */
  timeoutS: number;
  databaseUrl?: string;
  verbose?: boolean;
}

/** What a join storm measured. */
export interface StormResult {
  mode: PresenceMode;
  users: number;
  /** Users who joined before the deadline. */
  joined: number;
  /** From the first join to the last user's snapshot, in milliseconds. */
  joinPhaseMs: number;
  /** From the first join until every socket listed everyone; null when it did not happen in time. */
  convergedMs: number | null;
  /** Sockets with the whole roster at the end. */
  fullSockets: number;
  bytes: number;
  frames: number;
  /** Whole-roster frames among them; in diff mode, one per socket is the minimum. */
  snapshots: number;
  /** Register to first snapshot, per user, in milliseconds. */
  perJoin: Summary;
  /**
   * The join's three steps, per user, in milliseconds: the register request,
   * the presence socket's opening handshake, and from the socket open to its
   * first roster frame.
   */
  stages: { register: Summary; open: Summary; firstRoster: Summary };
  /** Sockets the server closed, by close code. */
  serverCloses: Record<string, number>;
  /** CPU share during the storm, in percent of one core, by process. */
  cpu: Record<string, number>;
  /**
   * CPU time per user who joined, in milliseconds, by process: the work a
   * join costs, where the storm's length also holds the waits (round trips
   * to the database, the other processes' turns on the cores).
   */
  cpuMsPerJoin: Record<string, number>;
}

/** Runs one join storm against a fresh Quick Chat server. */
export async function runJoinStorm(options: StormOptions): Promise<StormResult> {
  const server = await ServerProcess.start({
    target: "quickchat",
    databaseUrl: options.databaseUrl,
    verbose: options.verbose,
    name: `quickchat-storm-${options.mode}`,
  });
  const tracker = new RosterTracker(options.users, options.mode);
  const sockets: WebSocket[] = [];
  const serverCloses: Record<string, number> = {};
  const perJoin = new Samples(options.users);
  const stages = {
    register: new Samples(options.users),
    open: new Samples(options.users),
    firstRoster: new Samples(options.users),
  };
  try {
    log(`storm (${options.mode}): ${options.users} users join one after another`);
    const meter = new CpuMeter({ server: server.pid, generator: Deno.pid });
    const started = performance.now();
    const deadline = started + options.timeoutS * 1000;
    for (let i = 0; i < options.users && performance.now() < deadline; i++) {
      const joinStarted = performance.now();
      const token = await register(server.url, tracker.id(i), `Storm${i}`);
      const registered = performance.now();
      const url = presenceUrl(server.url, tracker.id(i), token, options.mode);
      const socket = await openSocket(url, (frame) => tracker.receive(i, frame));
      const opened = performance.now();
      socket.onclose = (event) => serverCloses[event.code] = (serverCloses[event.code] ?? 0) + 1;
      sockets.push(socket);
      if (!await within(tracker.firstFrame(i), deadline - performance.now())) break;
      const done = performance.now();
      perJoin.add(done - joinStarted);
      stages.register.add(registered - joinStarted);
      stages.open.add(opened - registered);
      stages.firstRoster.add(done - opened);
    }
    const joined = perJoin.count;
    const joinPhaseMs = performance.now() - started;
    const converged = joined === options.users && await tracker.waitAllFull(deadline - performance.now());
    const convergedMs = converged ? performance.now() - started : null;
    const cpu = meter.read();
    const cpuMsPerJoin = Object.fromEntries(
      Object.entries(meter.seconds()).map(([name, seconds]) => [name, joined > 0 ? seconds * 1000 / joined : NaN]),
    );
    log(`storm (${options.mode}): ${converged ? "converged" : "did not converge"}, ${joined} joined`);
    return {
      mode: options.mode,
      users: options.users,
      joined,
      joinPhaseMs,
      convergedMs,
      fullSockets: tracker.fullSockets,
      bytes: tracker.bytes,
      frames: tracker.frames,
      snapshots: tracker.snapshots,
      perJoin: perJoin.summary(),
      stages: {
        register: stages.register.summary(),
        open: stages.open.summary(),
        firstRoster: stages.firstRoster.summary(),
      },
      serverCloses: { ...serverCloses },
      cpu,
      cpuMsPerJoin,
    };
  } finally {
    // Stopping the server first spares a flooded generator the close handshakes.
    await server.stop();
    for (const socket of sockets) socket.close();
  }
}

async function within(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), Math.max(0, ms)));
  const result = await Promise.race([promise.then(() => true), timeout]);
  clearTimeout(timer);
  return result;
}
