/**
 * A TCP proxy that tests can cut and restore, to take a database away from a
 * running server and give it back, without touching the database itself.
 */
export class TcpProxy {
  readonly port: number;
  #target: { hostname: string; port: number };
  #listener: Deno.Listener | null = null;
  #connections = new Set<Deno.Conn>();
  /** Counts cuts, so that a connection accepted before a cut and joined after it is dropped too. */
  #cuts = 0;

  constructor(port: number, target: { hostname: string; port: number }) {
    this.port = port;
    this.#target = target;
  }

  /** A port nothing listens on yet. */
  static freePort(): number {
    const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (probe.addr as Deno.NetAddr).port;
    probe.close();
    return port;
  }

  /** Starts accepting and forwarding connections. */
  open(): void {
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: this.port });
    this.#accept(this.#listener);
  }

  /** Refuses new connections and drops every open one, like a network outage. */
  cut(): void {
    this.#cuts++;
    this.#listener?.close();
    this.#listener = null;
    for (const conn of this.#connections) {
      try {
        conn.close();
      } catch {
        // Closed by the other side already.
      }
    }
    this.#connections.clear();
  }

  async #accept(listener: Deno.Listener): Promise<void> {
    try {
      for await (const client of listener) this.#forward(client);
    } catch {
      // The listener was closed by cut().
    }
  }

  async #forward(client: Deno.Conn): Promise<void> {
    const cuts = this.#cuts;
    this.#connections.add(client);
    let upstream: Deno.Conn;
    try {
      upstream = await Deno.connect(this.#target);
    } catch {
      this.#connections.delete(client);
      try {
        client.close();
      } catch {
        // Closed by cut() already.
      }
      return;
    }
    if (cuts !== this.#cuts) {
      // Cut while connecting upstream: this connection belongs to the time before the outage.
      upstream.close();
      return;
    }
    this.#connections.add(upstream);
    const pipe = (from: Deno.Conn, to: Deno.Conn) => from.readable.pipeTo(to.writable).catch(() => {});
    await Promise.all([pipe(client, upstream), pipe(upstream, client)]);
    this.#connections.delete(client);
    this.#connections.delete(upstream);
  }
}
