/**
 * A WebSocket client that completes the handshake and then never reads, like
 * a frozen or malicious browser: it neither drains what the server sends nor
 * answers pings.
 */
export async function openSilentSocket(url: string): Promise<Deno.TcpConn> {
  const target = new URL(url);
  const conn = await Deno.connect({ hostname: target.hostname, port: Number(target.port) });
  const request = [
    `GET ${target.pathname}${target.search} HTTP/1.1`,
    `Host: ${target.host}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version: 13",
    "",
    "",
  ].join("\r\n");
  await conn.write(new TextEncoder().encode(request));
  // Read only the handshake response, byte by byte, so no frame after it is consumed.
  const head: number[] = [];
  const byte = new Uint8Array(1);
  while (!(head.length >= 4 && head.slice(-4).join() === "13,10,13,10")) {
    if (await conn.read(byte) === null) throw new Error("Connection closed during the handshake");
    head.push(byte[0]);
  }
  const status = new TextDecoder().decode(new Uint8Array(head)).split("\r\n")[0];
  if (!status.includes(" 101 ")) throw new Error(`Handshake refused: ${status}`);
  return conn;
}
