/**
 * The REST endpoints of the API reference page: what each does, a `curl`
 * call, its responses and the errors it may give.
 *
 * @example
 * ```tsx
 * <RestEndpoints origin="http://localhost:8000" />
 * ```
 *
 * @module
 */
import { REST_ENDPOINTS, type RestEndpoint } from "../../lib/reference/endpoints.ts";
import { curlCommand } from "../../lib/reference/samples.ts";
import { MAX_BODY_BYTES } from "../../lib/json_body.ts";
import { httpError } from "../../lib/reference/errors.ts";
import { Card, Code, CodeBlock, EndpointTitle, JsonBlock, Prose, Section, Subheading } from "./prose.tsx";

const AUTH = {
  none: "No token needed.",
  optional: "The first registration of an id needs no token; every later one needs the id's token.",
  required:
    "Needs the user's token: the `qc_token` cookie, an `Authorization: Bearer` header or a `token` query parameter.",
} as const;

/** The anchor of an endpoint's card. */
export function restAnchor(endpoint: RestEndpoint): string {
  return `rest-${endpoint.operationId}`;
}

/** Every REST endpoint, one card each. */
export function RestEndpoints({ origin }: { origin: string }) {
  return (
    <Section
      id="rest"
      title="REST endpoints"
      intro={`Bodies are JSON (\`Content-Type: application/json\`, at most ${MAX_BODY_BYTES.toLocaleString("en-US")} ` +
        'bytes); every refusal is `{"error": code, "detail": sentence}` with a 4xx or 5xx status.'}
    >
      {REST_ENDPOINTS.map((endpoint) => <RestEndpointCard key={endpoint.path} endpoint={endpoint} origin={origin} />)}
    </Section>
  );
}

function RestEndpointCard({ endpoint, origin }: { endpoint: RestEndpoint; origin: string }) {
  return (
    <Card id={restAnchor(endpoint)}>
      <EndpointTitle method={endpoint.method} path={endpoint.path} summary={endpoint.summary} />
      <p class="mt-3 text-slate-600 dark:text-slate-300">
        <Prose text={endpoint.description} />
      </p>
      <p class="mt-2 text-sm text-slate-500 dark:text-slate-400">
        <Prose text={AUTH[endpoint.auth]} />
      </p>
      <CodeBlock label="Request" code={curlCommand(endpoint, origin)} />
      {endpoint.responses.map((response) => (
        <div key={response.status}>
          <Subheading>
            {response.status} · <Prose text={response.description} />
          </Subheading>
          {response.headers && Object.entries(response.headers).map(([name, text]) => (
            <p
              key={name}
              class="mt-1 text-sm text-slate-600 dark:text-slate-300"
            >
              <Code>{name}</Code>: <Prose text={text} />
            </p>
          ))}
          <JsonBlock value={response.example} />
        </div>
      ))}
      {endpoint.errors.length > 0 && (
        <>
          <Subheading>Errors</Subheading>
          <ul class="mt-2 space-y-1 text-sm">
            {endpoint.errors.map((code) => {
              const error = httpError(code);
              return (
                <li key={code}>
                  <a class="font-mono text-indigo-600 hover:underline dark:text-indigo-300" href={`#http-${code}`}>
                    {error.status} {code}
                  </a>{" "}
                  <span class="text-slate-600 dark:text-slate-300">
                    <Prose text={error.meaning} />
                  </span>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </Card>
  );
}
