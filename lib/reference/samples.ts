/**
 * Code samples for the API reference: a `curl` call of each REST endpoint and
 * a browser snippet for each socket, against a given server address.
 *
 * @example
 * ```ts
 * console.log(curlCommand(REST_ENDPOINTS[0], "http://localhost:8000"));
 * ```
 *
 * @module
 */
import type { RestEndpoint, SocketEndpoint } from "./endpoints.ts";

/** A `curl` command that calls a REST endpoint on `base` (such as `http://localhost:8000`). */
export function curlCommand(endpoint: RestEndpoint, base: string): string {
  const lines = [`curl -i${endpoint.method === "GET" ? "" : ` -X ${endpoint.method}`} '${base}${endpoint.path}'`];
  if (endpoint.auth === "required") lines.push(`-b "qc_token=$TOKEN"`);
  if (endpoint.body) {
    lines.push("-H 'content-type: application/json'", `-d '${JSON.stringify(endpoint.body.example)}'`);
  }
  return lines.join(" \\\n  ");
}

/** A browser snippet that opens a socket endpoint on `base` and sends its first example frame. */
export function socketSnippet(endpoint: SocketEndpoint, base: string): string {
  const wsBase = base.replace(/^http/, "ws");
  const query = `${endpoint.userParam}=\${userId}&token=\${token}`;
  return [
    `const socket = new WebSocket(\`${wsBase}${endpoint.path}?${query}\`);`,
    "socket.onmessage = (event) => console.log(JSON.parse(event.data));",
    `socket.onopen = () => socket.send(JSON.stringify(${JSON.stringify(endpoint.frames.send[0].example)}));`,
  ].join("\n");
}
