/**
 * Builds Quick Chat's OpenAPI 3.1 document from the protocol's zod schemas
 * and the reference's lists of endpoints, errors and limits. OpenAPI has no
 * WebSockets: each socket is a GET answered with 101, and its frames, error
 * codes and close codes are in the operation's `x-websocket` extension, with
 * every frame schema under `components.schemas`.
 *
 * @example
 * ```ts
 * const json = JSON.stringify(openApiDocument(config));
 * ```
 *
 * @module
 */
import { z } from "zod";
import type { Config } from "../../fresh.config.ts";
import { TOKEN_COOKIE } from "../identity.ts";
import { ClientFrame, NAME_FORBIDDEN } from "../protocol.ts";
import {
  type Auth,
  REST_ENDPOINTS,
  type RestEndpoint,
  SOCKET_ENDPOINTS,
  type SocketEndpoint,
  TAGS,
} from "./endpoints.ts";
import { CLOSES, FRAME_ERRORS, HTTP_ERRORS, httpError, type HttpErrorCode } from "./errors.ts";
import { limitsOf } from "./limits.ts";
import { curlCommand, socketSnippet } from "./samples.ts";
import { REFERENCE_SCHEMAS, type SchemaName } from "./schemas.ts";

/** A JSON object of the document. */
type Json = Record<string, unknown>;

const JSON_TYPE = "application/json";

/** The base URL of the code samples. */
const SAMPLE_BASE = "http://localhost:8000";

/** Security requirements by how much an endpoint needs the token. */
const SECURITY: Record<Auth, Json[]> = {
  none: [],
  optional: [{}, { tokenCookie: [] }, { tokenBearer: [] }, { tokenQuery: [] }],
  required: [{ tokenCookie: [] }, { tokenBearer: [] }, { tokenQuery: [] }],
};

/**
 * The OpenAPI 3.1 document of a server with this configuration: its limits
 * appear in the schemas (the maximum text length) and in `x-limits`.
 */
export function openApiDocument(config: Pick<Config, "limits" | "presence">): Json {
  const limits = limitsOf(config);
  return {
    openapi: "3.1.0",
    info: {
      title: "Quick Chat",
      version: "1.0.0",
      summary: "Anonymous, real-time one-to-one chat with a live list of who is online.",
      description: "REST endpoints register and log out; two WebSockets carry the roster and the messages. " +
        "Messages are live only: the server keeps no history. WebSocket endpoints are described as GET " +
        "operations answered with `101 Switching Protocols`; their frames are in `x-websocket`. A readable " +
        "version of this document is served at `/docs`.",
      license: { name: "MIT", identifier: "MIT" },
    },
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths: {
      ...Object.fromEntries(REST_ENDPOINTS.map((endpoint) => [endpoint.path, restPath(endpoint)])),
      ...Object.fromEntries(SOCKET_ENDPOINTS.map((endpoint) => [endpoint.path, socketPath(endpoint)])),
    },
    components: {
      schemas: componentSchemas(config.limits.messageMaxChars),
      responses: Object.fromEntries(HTTP_ERRORS.map((error) => [error.code, errorResponse(error.code)])),
      securitySchemes: {
        tokenCookie: {
          type: "apiKey",
          in: "cookie",
          name: TOKEN_COOKIE,
          description: "The token from `POST /presence/register`, set as a cookie by that response.",
        },
        tokenBearer: {
          type: "http",
          scheme: "bearer",
          description: "The same token in an `Authorization: Bearer` header, for clients that keep no cookies; " +
            "it wins over the cookie.",
        },
        tokenQuery: {
          type: "apiKey",
          in: "query",
          name: "token",
          description: "The same token as a query parameter, for sockets of clients that keep no cookies (a " +
            "browser cannot give a WebSocket a header); it wins over the header and the cookie. A URL can end up " +
            "in a proxy's logs: use the header where the client can.",
        },
      },
    },
    "x-limits": Object.fromEntries(limits.map(({ key, ...limit }) => [key, limit])),
    "x-websocket-close-codes": CLOSES,
  };
}

/** The JSON Schemas of {@link REFERENCE_SCHEMAS}, referring to each other by `$ref`. */
function componentSchemas(messageMaxChars: number): Record<string, Json> {
  const registry = z.registry<{ id: string; description: string }>();
  for (const [id, { schema, description }] of Object.entries(REFERENCE_SCHEMAS)) {
    registry.add(schema, { id, description });
  }
  // The `dm` variant comes first; were it not, `.shape.text` would not type-check.
  const dmText = ClientFrame.options[0].shape.text;
  const { schemas } = z.toJSONSchema(registry, {
    // Requests are described as clients write them: before the server trims names and lower-cases ids.
    io: "input",
    metadata: registry,
    uri: (id) => `#/components/schemas/${id}`,
    override({ zodSchema, jsonSchema }) {
      if (zodSchema === REFERENCE_SCHEMAS.DisplayName.schema) {
        jsonSchema.pattern = `^[^${NAME_FORBIDDEN.source.slice(1, -1)}]*$`;
      } else if (zodSchema === dmText) {
        jsonSchema.minLength = 1;
        jsonSchema.maxLength = messageMaxChars;
        jsonSchema.description = `Not blank; at most ${messageMaxChars} UTF-16 code units, no control characters ` +
          "other than tab and line breaks.";
      } else if (zodSchema === REFERENCE_SCHEMAS.ErrorCode.schema) {
        jsonSchema["x-enumDescriptions"] = FRAME_ERRORS;
      }
    },
  });
  // The document is the only resource: drop each schema's own `$schema` and `$id`.
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _schema, $id: _id, ...schema }]) => [id, schema as Json]),
  );
}

function ref(name: SchemaName): Json {
  return { $ref: `#/components/schemas/${name}` };
}

function errorResponse(code: HttpErrorCode): Json {
  const error = httpError(code);
  return {
    description: `\`${error.code}\`: ${error.meaning}`,
    ...(error.headers && { headers: headerDocs(error.headers) }),
    content: {
      "application/json": {
        schema: {
          ...ref("HttpErrorBody"),
          properties: { error: { const: error.code } },
        },
        example: { error: error.code, detail: error.detail },
      },
    },
  };
}

function headerDocs(headers: Record<string, string>): Json {
  return Object.fromEntries(
    Object.entries(headers).map(([name, description]) => [name, { description, schema: { type: "string" } }]),
  );
}

function errorResponses(codes: readonly HttpErrorCode[]): Json {
  // Two codes may share a status (400 from a body and from a socket's query): list each status once.
  const byStatus = new Map<number, Json>();
  for (const code of codes) {
    const { status } = httpError(code);
    if (!byStatus.has(status)) byStatus.set(status, { $ref: `#/components/responses/${code}` });
  }
  return Object.fromEntries(byStatus);
}

function restPath(endpoint: RestEndpoint): Json {
  const responses: Json = {};
  for (const response of endpoint.responses) {
    const mediaType = response.mediaType.split(";")[0];
    const schema = response.schema ? ref(response.schema) : { type: mediaType === JSON_TYPE ? "object" : "string" };
    responses[response.status] = {
      description: response.description,
      ...(response.headers && { headers: headerDocs(response.headers) }),
      content: { [mediaType]: { schema, example: response.example } },
    };
  }
  const operation: Json = {
    operationId: endpoint.operationId,
    tags: [endpoint.tag],
    summary: endpoint.summary,
    description: endpoint.description,
    security: SECURITY[endpoint.auth],
    ...(endpoint.body && {
      requestBody: {
        required: true,
        content: { "application/json": { schema: ref(endpoint.body.schema), example: endpoint.body.example } },
      },
    }),
    responses: { ...responses, ...errorResponses(endpoint.errors) },
    "x-codeSamples": [{ lang: "Shell", label: "curl", source: curlCommand(endpoint, SAMPLE_BASE) }],
  };
  return { [endpoint.method.toLowerCase()]: operation };
}

function socketPath(endpoint: SocketEndpoint): Json {
  const parameters: Json[] = [
    {
      name: endpoint.userParam,
      in: "query",
      required: true,
      description: "The user this socket is for; it must present that user's token.",
      schema: ref("UserId"),
    },
    ...endpoint.query.map((query) => ({
      name: query.name,
      in: "query",
      required: false,
      description: query.description,
      schema: { type: "string", enum: query.values },
    })),
    { name: "Upgrade", in: "header", required: true, schema: { type: "string", const: "websocket" } },
  ];
  const operation: Json = {
    operationId: endpoint.operationId,
    tags: [endpoint.tag],
    summary: endpoint.summary,
    description: `${endpoint.description}\n\nA missing or wrong token, or too many sockets, is answered on the ` +
      "socket itself (an `error` frame, then close 1008), so that browsers can tell why.",
    security: SECURITY.required,
    parameters,
    responses: {
      101: {
        description: "Switching Protocols: the socket is open. Frames are JSON text, described in `x-websocket`.",
      },
      ...errorResponses(endpoint.httpErrors),
    },
    "x-websocket": {
      clientFrames: ref(endpoint.clientSchema),
      serverFrames: ref(endpoint.serverSchema),
      send: endpoint.frames.send.map((frame) => ({
        ...ref(frame.schema),
        summary: frame.summary,
        example: frame.example,
      })),
      receive: endpoint.frames.receive.map((frame) => ({
        ...ref(frame.schema),
        summary: frame.summary,
        example: frame.example,
      })),
      errorCodes: endpoint.errors.map((code) => ({ code, description: FRAME_ERRORS[code] })),
      closeCodes: CLOSES,
    },
    "x-codeSamples": [{ lang: "JavaScript", label: "browser", source: socketSnippet(endpoint, SAMPLE_BASE) }],
  };
  return { get: operation };
}
