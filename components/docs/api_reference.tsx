/**
 * The API reference page (`GET /docs`): how the protocol fits together,
 * authentication, every endpoint and frame with examples, the error and
 * close codes, the running server's limits and its metrics. Plain HTML: it
 * needs no JavaScript.
 *
 * @example
 * ```tsx
 * <ApiReference origin="http://localhost:8000" limits={limitsOf(config)} />
 * ```
 *
 * @module
 */
import { REST_ENDPOINTS, SOCKET_ENDPOINTS } from "../../lib/reference/endpoints.ts";
import type { LimitDoc } from "../../lib/reference/limits.ts";
import { LimitsTable, MetricsTable } from "./limits_table.tsx";
import { Card, Prose, Section } from "./prose.tsx";
import { CloseCodes, ErrorCodes } from "./refusals.tsx";
import { restAnchor, RestEndpoints } from "./rest_endpoints.tsx";
import { socketAnchor, SocketEndpoints } from "./socket_endpoints.tsx";

/** Props of {@link ApiReference}. */
export interface ApiReferenceProps {
  /** This server's address, for the examples. */
  origin: string;
  limits: LimitDoc[];
}

const LINK = "text-indigo-600 hover:underline dark:text-indigo-300";

const FLOW = [
  "`POST /presence/register` with your UUID and a name: you are online, and you get a `token`.",
  "Open `WS /presence/ws?user_id=…` to follow who is online: first the whole roster, then every change.",
  'Open `WS /ws/chat?me=…` and send `{"type": "dm", "to": peer, "text": …}`: the message is echoed to you and delivered to the peer.',
  "`POST /presence/logout` when you leave, or just close the sockets: you go offline after a short grace period.",
];

/** The whole reference. */
export function ApiReference({ origin, limits }: ApiReferenceProps) {
  return (
    <div class="mx-auto max-w-6xl px-4 py-8 sm:px-6 lg:py-12">
      <header class="border-b border-slate-200 pb-6 dark:border-slate-800">
        <p class="text-sm font-medium text-indigo-600 dark:text-indigo-300">Quick Chat</p>
        <h1 class="mt-1 text-3xl font-semibold tracking-tight sm:text-4xl">API reference</h1>
        <p class="mt-3 max-w-3xl text-slate-600 dark:text-slate-300">
          Anonymous, real-time one-to-one chat. Two REST calls manage who is online; two WebSockets carry the roster and
          the messages. Messages are live only: the server keeps no history.
        </p>
        <p class="mt-4 flex flex-wrap gap-x-6 gap-y-2 text-sm font-medium">
          <a class={LINK} href="/openapi.json">OpenAPI 3.1 document (JSON)</a>
          <a class={LINK} href="/">Back to the chat</a>
        </p>
      </header>
      <div class="mt-8 lg:grid lg:grid-cols-[14rem_1fr] lg:gap-10">
        <Contents />
        <main class="min-w-0 space-y-12">
          <Section id="overview" title="How it fits together">
            <ol class="list-decimal space-y-2 pl-5 text-slate-700 dark:text-slate-200">
              {FLOW.map((step) => (
                <li key={step}>
                  <Prose text={step} />
                </li>
              ))}
            </ol>
          </Section>
          <Authentication />
          <RestEndpoints origin={origin} />
          <SocketEndpoints origin={origin} />
          <ErrorCodes />
          <CloseCodes />
          <LimitsTable limits={limits} />
          <MetricsTable />
        </main>
      </div>
    </div>
  );
}

function Contents() {
  const item = (href: string, label: string, mono = false) => (
    <li key={href}>
      <a
        class={`block rounded-lg px-2 py-1 text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white ${
          mono ? "font-mono text-xs" : ""
        }`}
        href={href}
      >
        {label}
      </a>
    </li>
  );
  return (
    <nav aria-label="Contents" class="mb-8 text-sm lg:sticky lg:top-8 lg:mb-0 lg:self-start">
      <ul class="space-y-0.5">
        {item("#overview", "How it fits together")}
        {item("#auth", "Authentication")}
        {item("#rest", "REST endpoints")}
        {REST_ENDPOINTS.map((endpoint) =>
          item(`#${restAnchor(endpoint)}`, `${endpoint.method} ${endpoint.path}`, true)
        )}
        {item("#websockets", "WebSockets")}
        {SOCKET_ENDPOINTS.map((endpoint) => item(`#${socketAnchor(endpoint)}`, `WS ${endpoint.path}`, true))}
        {item("#errors", "Error codes")}
        {item("#close-codes", "Close codes")}
        {item("#limits", "Limits")}
        {item("#metrics", "Metrics")}
      </ul>
    </nav>
  );
}

function Authentication() {
  return (
    <Section id="auth" title="Authentication">
      <Card>
        <div class="space-y-3 text-slate-700 dark:text-slate-200">
          <p>
            <Prose text="Identities are anonymous but cannot be taken over. The first `POST /presence/register` of a UUID binds it and returns a `token`: the binding (a random value the server stores with the UUID) and an HMAC of both that only this server can make. An identity unseen for 30 days is forgotten, and a UUID bound again gets a new binding: the earlier token does not prove it. Keep the token of the latest registration. The same response sets it as the cookie `qc_token` (`HttpOnly; SameSite=Lax`, and `Secure` when the request came over HTTPS, directly or as `X-Forwarded-Proto: https`)." />
          </p>
          <p>
            <Prose text="Every later call for that UUID presents the token: the browser sends the cookie by itself, and other clients send `Authorization: Bearer …`, or add `token=…` to the query string where they cannot set a header (browsers' WebSockets). The query wins over the header, and the header over the cookie; a URL can end up in a proxy's logs. Without it, a register or logout gets 401 `UNAUTHORIZED`, and a socket gets an `UNAUTHORIZED` error frame and close 1008." />
          </p>
          <p>
            <Prose text="Logging out does not revoke the token: it takes the user offline, and the same token brings them back." />
          </p>
        </div>
      </Card>
    </Section>
  );
}
