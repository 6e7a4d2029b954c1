import type { ErrorCode } from "./protocol.ts";

/**
 * Counters of what the server did, kept as plain numbers so that counting on
 * the hot path costs an addition, and rendered in Prometheus' text format for
 * `GET /metrics`.
 *
 * @example
 * ```ts
 * const metrics = new Metrics();
 * metrics.dmsRelayed++;
 * metrics.error("PEER_OFFLINE");
 * ```
 */
export class Metrics {
  /** DMs accepted, echoed and delivered. */
  dmsRelayed = 0;
  /** DMs that went to another instance through the database. */
  framesRoutedRemote = 0;
  /** Typing and read events relayed. */
  eventsRelayed = 0;
  /** Sockets closed by the server for a policy (rate, size, slow reader, logout). */
  socketsRefused = 0;
  #errors = new Map<ErrorCode, number>();

  /** Counts an error frame sent to a client. */
  error(code: ErrorCode): void {
    this.#errors.set(code, (this.#errors.get(code) ?? 0) + 1);
  }

  /** The Prometheus text exposition of the counters and the given gauges. */
  render(gauges: Gauges): string {
    const memory = Deno.memoryUsage();
    const lines: string[] = [];
    const metric = (name: string, type: "counter" | "gauge", help: string, samples: [string, number][]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
    };
    metric("quickchat_connections", "gauge", "Open WebSockets on this instance.", [
      ['{kind="chat"}', gauges.chatSockets],
      ['{kind="presence"}', gauges.presenceSockets],
    ]);
    metric("quickchat_users_online", "gauge", "Users in the roster.", [["", gauges.usersOnline]]);
    metric("quickchat_dms_relayed_total", "counter", "Direct messages accepted and delivered.", [
      ["", this.dmsRelayed],
    ]);
    metric(
      "quickchat_frames_routed_remote_total",
      "counter",
      "Chat frames (DMs, typing, reads) sent on to another instance.",
      [
        ["", this.framesRoutedRemote],
      ],
    );
    metric("quickchat_events_relayed_total", "counter", "Typing and read events relayed.", [["", this.eventsRelayed]]);
    metric("quickchat_sockets_refused_total", "counter", "Sockets closed by the server for a policy.", [
      ["", this.socketsRefused],
    ]);
    metric(
      "quickchat_errors_total",
      "counter",
      "Error frames sent, by code.",
      [...this.#errors].map(([code, count]) => [`{code="${code}"}`, count]),
    );
    metric("process_resident_memory_bytes", "gauge", "Resident memory of the process.", [["", memory.rss]]);
    metric("quickchat_heap_used_bytes", "gauge", "JavaScript heap in use.", [["", memory.heapUsed]]);
    metric("quickchat_heap_total_bytes", "gauge", "JavaScript heap reserved.", [["", memory.heapTotal]]);
    metric("quickchat_external_memory_bytes", "gauge", "Memory held outside the heap (buffers, WebAssembly).", [
      ["", memory.external],
    ]);
    return lines.join("\n") + "\n";
  }
}

/** Values read at the moment of rendering. */
export interface Gauges {
  chatSockets: number;
  presenceSockets: number;
  usersOnline: number;
}
