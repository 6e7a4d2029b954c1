/**
 * A TCP echo peer on loopback, run as a process of its own by
 * {@link measureCalibration}: it prints its port on the first line of stdout,
 * then sends every byte it reads straight back, until its parent closes the
 * connection or stops it.
 *
 * @example
 * ```sh
 * deno run --allow-net=127.0.0.1 bench/echo_peer.ts   # prints the port
 * ```
 *
 * @module
 */

const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
console.log(listener.addr.port);
for await (const connection of listener) echo(connection);

async function echo(connection: Deno.TcpConn): Promise<void> {
  connection.setNoDelay(true);
  const buffer = new Uint8Array(64);
  try {
    for (let read = await connection.read(buffer); read !== null; read = await connection.read(buffer)) {
      for (let sent = 0; sent < read;) sent += await connection.write(buffer.subarray(sent, read));
    }
  } finally {
    connection.close();
  }
}
