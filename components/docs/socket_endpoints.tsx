/**
 * The WebSocket endpoints of the API reference page: how to open each, and
 * every frame it accepts and sends, with examples.
 *
 * @example
 * ```tsx
 * <SocketEndpoints origin="http://localhost:8000" />
 * ```
 *
 * @module
 */
import type { FrameDoc } from "../../lib/reference/frames.ts";
import { SOCKET_ENDPOINTS, type SocketEndpoint } from "../../lib/reference/endpoints.ts";
import { socketSnippet } from "../../lib/reference/samples.ts";
import { FRAME_ERRORS } from "../../lib/reference/errors.ts";
import { Card, Code, CodeBlock, EndpointTitle, JsonBlock, Prose, Section, Subheading } from "./prose.tsx";

/** The anchor of a socket endpoint's card. */
export function socketAnchor(endpoint: SocketEndpoint): string {
  return `ws-${endpoint.operationId}`;
}

/** Every WebSocket endpoint, one card each. */
export function SocketEndpoints({ origin }: { origin: string }) {
  return (
    <Section
      id="websockets"
      title="WebSockets"
      intro="Frames are JSON text, one object per frame, told apart by `type`; clients should ignore fields and frame types they do not know. A refused frame gets an `error` frame and the socket stays open, except where a close follows."
    >
      {SOCKET_ENDPOINTS.map((endpoint) => (
        <SocketEndpointCard
          key={endpoint.path}
          endpoint={endpoint}
          origin={origin}
        />
      ))}
    </Section>
  );
}

function SocketEndpointCard({ endpoint, origin }: { endpoint: SocketEndpoint; origin: string }) {
  const query = `?${endpoint.userParam}=<uuid>&token=<token>${endpoint.query.map((q) => `[&${q.name}=…]`).join("")}`;
  return (
    <Card id={socketAnchor(endpoint)}>
      <EndpointTitle method="WS" path={`${endpoint.path}${query}`} summary={endpoint.summary} />
      <p class="mt-3 text-slate-600 dark:text-slate-300">
        <Prose text={endpoint.description} />
      </p>
      <ul class="mt-3 list-disc space-y-1 pl-5 text-sm text-slate-600 dark:text-slate-300">
        <li>
          <Code>{endpoint.userParam}</Code>: <Prose text="the user's id, a UUID (400 `INVALID_PAYLOAD` otherwise)." />
        </li>
        <li>
          <Prose text="`token`: the user's token; the `qc_token` cookie does as well. Without the right one the server sends an `UNAUTHORIZED` error frame and closes with 1008." />
        </li>
        {endpoint.query.map((query) => (
          <li key={query.name}>
            <Code>{query.name}</Code>: <Prose text={query.description} />
          </li>
        ))}
        <li>
          <Prose text="A page on another origin needs that origin in `ALLOWED_ORIGINS` (403 `FORBIDDEN_ORIGIN` otherwise); a plain HTTP request gets 426." />
        </li>
      </ul>
      <CodeBlock label="From a browser" code={socketSnippet(endpoint, origin)} />
      <Frames title="You send" frames={endpoint.frames.send} />
      <Frames title="You receive" frames={endpoint.frames.receive} />
      <Subheading>Error codes on this socket</Subheading>
      <ul class="mt-2 space-y-1 text-sm">
        {endpoint.errors.map((code) => (
          <li key={code}>
            <a class="font-mono text-indigo-600 hover:underline dark:text-indigo-300" href={`#frame-${code}`}>
              {code}
            </a>{" "}
            <span class="text-slate-600 dark:text-slate-300">
              <Prose text={FRAME_ERRORS[code]} />
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function Frames({ title, frames }: { title: string; frames: FrameDoc[] }) {
  return (
    <>
      <Subheading>{title}</Subheading>
      <div class="mt-2 space-y-3">
        {frames.map((frame) => (
          <div
            key={frame.schema}
            class="rounded-xl bg-slate-50 p-4 ring-1 ring-slate-200 dark:bg-slate-800/40 dark:ring-slate-800"
          >
            <p class="text-sm">
              <Code>{`"type": "${frame.example.type}"`}</Code>{" "}
              <span class="text-slate-500 dark:text-slate-400">({frame.schema})</span>
            </p>
            <p class="mt-2 text-sm text-slate-600 dark:text-slate-300">
              <Prose text={frame.summary} />
            </p>
            <JsonBlock value={frame.example} />
          </div>
        ))}
      </div>
    </>
  );
}
