import type { Database } from "../db/database.ts";
import { forgetIdleIdentities } from "../db/identities.ts";
import { heartbeat, reapInstances, registerInstance, removeOtherInstances } from "../db/instances.ts";
import { isDatabaseUnavailable } from "../db/errors.ts";
import { reapIdleUsers } from "../db/roster.ts";
import type { PresenceTiming } from "../fresh.config.ts";
import { log } from "./log.ts";
import type { Presence } from "./presence.ts";

/** Identities unseen for this many days may be bound again. */
const IDENTITY_RETENTION_DAYS = 30;
const IDENTITY_SWEEP_MS = 60 * 60 * 1000;
/**
 * The embedded database serves this process alone: there are no other
 * instances to outlive and nothing to learn from the tables, so its beat only
 * sweeps, rarely — each statement runs on the event loop's thread.
 */
const EMBEDDED_BEAT_MS = 60_000;
/** Beats between two full re-reads of the roster: events carry changes, the re-read only repairs. */
const RECONCILE_EVERY = 6;

/**
 * Keeps this instance's row alive and cleans up after others: instances whose
 * heartbeat expired lose their connections, and users left without any
 * connection or recent registration go offline, with their leaves announced.
 * After the database comes back, or this instance was taken for dead, it
 * rewrites its own state.
 *
 * @example
 * ```ts
 * const beat = new Heartbeat(db, presence, timing);
 * await beat.start();
 * ```
 */
export class Heartbeat {
  #db: Database;
  #presence: Presence;
  #timing: PresenceTiming;
  #timer: ReturnType<typeof setInterval> | undefined;
  #running: Promise<void> | null = null;
  #failing = false;
  #lastSweep = 0;
  #beats = 0;

  constructor(db: Database, presence: Presence, timing: PresenceTiming) {
    this.#db = db;
    this.#presence = presence;
    this.#timing = timing;
  }

  /** Registers the instance, cleans stale rows from a crash, loads the roster and starts beating. */
  async start(): Promise<void> {
    const instanceId = this.#presence.instanceId;
    await registerInstance(this.#db, instanceId);
    // The embedded database serves one process, so any other instance in it is a leftover.
    if (this.#db.kind === "pglite") await removeOtherInstances(this.#db, instanceId);
    await this.#reap();
    await this.#presence.reconcile();
    const interval = this.#db.kind === "pglite"
      ? Math.max(this.#timing.heartbeatMs, EMBEDDED_BEAT_MS)
      : this.#timing.heartbeatMs;
    this.#timer = setInterval(() => {
      this.#running ??= this.#beat().finally(() => this.#running = null);
    }, interval);
  }

  /** Beats now rather than at the next tick, resyncing: the listener came back and events may be lost. */
  resyncSoon(): void {
    this.#presence.needsResync = true;
    if (this.#timer === undefined) return;
    this.#running ??= this.#beat().finally(() => this.#running = null);
  }

  /** Stops beating, after the beat in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  async #beat(): Promise<void> {
    try {
      const alive = await heartbeat(this.#db, this.#presence.instanceId);
      if (!alive) {
        log.warn("instance.revived", { instance_id: this.#presence.instanceId });
        await registerInstance(this.#db, this.#presence.instanceId);
      }
      const reconcileDue = this.#db.kind === "postgres" && ++this.#beats % RECONCILE_EVERY === 0;
      if (!alive || this.#failing || this.#presence.needsResync) await this.#presence.resync();
      else if (reconcileDue) await this.#presence.reconcile();
      await this.#reap();
      if (Date.now() - this.#lastSweep > IDENTITY_SWEEP_MS) {
        this.#lastSweep = Date.now();
        await forgetIdleIdentities(this.#db, IDENTITY_RETENTION_DAYS);
      }
      if (this.#failing) log.info("database.recovered");
      this.#failing = false;
    } catch (error) {
      if (!this.#failing) {
        log.error(isDatabaseUnavailable(error) ? "database.unreachable" : "heartbeat.failed", { error: String(error) });
      }
      this.#failing = true;
    }
  }

  async #reap(): Promise<void> {
    const dead = await reapInstances(this.#db, this.#timing.instanceTtlMs, this.#presence.instanceId);
    if (dead.length > 0) log.info("instance.reaped", { instances: dead });
    this.#presence.forgetInstances(dead);
    this.#presence.leave(await reapIdleUsers(this.#db, this.#timing.graceMs), true);
  }
}
