/**
 * Starts real Quick Chat servers for tests, on the embedded PGlite and, when
 * `DATABASE_URL` is set, on that PostgreSQL too: `dbTest` registers a test once
 * per database, so every suite that touches the database runs on both.
 */
import type { Database } from "../db/database.ts";
import { openDatabase } from "../db/open.ts";
import { loadConfig } from "../fresh.config.ts";
import { type Server, start } from "../main.ts";
import { TestSocket } from "./ws_client.ts";

/** The databases tests run against. */
export type DatabaseKind = "pglite" | "postgres";

const POSTGRES_URL = Deno.env.get("DATABASE_URL");

/** The kinds available here: PGlite always, PostgreSQL when `DATABASE_URL` is set. */
export const DATABASE_KINDS: DatabaseKind[] = POSTGRES_URL ? ["pglite", "postgres"] : ["pglite"];

const TABLES = "users_online, identities, connections, instances, app_secrets";

/** One database per kind for the whole test process: PGlite takes seconds to start. */
const shared = new Map<DatabaseKind, Promise<Database>>();

/** The database of a kind that the whole test process shares. */
export function sharedDatabase(kind: DatabaseKind): Promise<Database> {
  let db = shared.get(kind);
  if (!db) {
    db = openDatabase({ databaseUrl: kind === "postgres" ? POSTGRES_URL : undefined });
    shared.set(kind, db);
  }
  return db;
}

/** The shared database of a kind, emptied of the previous test's rows. */
export async function freshDatabase(kind: DatabaseKind): Promise<Database> {
  return emptied(await sharedDatabase(kind));
}

/** A database emptied of the app's rows. */
export async function emptied(database: Database): Promise<Database> {
  await database.query(`TRUNCATE ${TABLES}`);
  return database;
}

/** Settings that keep tests quick: a short grace period and heartbeat. */
export const TEST_ENV: Record<string, string> = {
  PORT: "0",
  HOST: "127.0.0.1",
  LOG_LEVEL: "error",
  PRESENCE_GRACE_MS: "300",
  HEARTBEAT_MS: "200",
  INSTANCE_TTL_MS: "600",
  // Tests register many new users from one address.
  REGISTER_RATE_PER_MIN: "1000000",
  REGISTER_BURST: "1000000",
};

/** A registered user as a test sees it. */
export interface TestUser {
  userId: string;
  name: string;
  token: string;
}

/** A running server with helpers to act as its clients. */
export class TestServer {
  readonly server: Server;
  readonly kind: DatabaseKind;

  constructor(server: Server, kind: DatabaseKind) {
    this.server = server;
    this.kind = kind;
  }

  /** An `http://` URL on this server. */
  http(path: string): string {
    return new URL(path, this.server.url).href;
  }

  /** A `ws://` URL on this server. */
  ws(path: string): string {
    return this.http(path).replace(/^http/, "ws");
  }

  /** `POST`s JSON and returns the response. */
  post(path: string, body: unknown, headers: HeadersInit = {}): Promise<Response> {
    return fetch(this.http(path), {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  }

  /** Registers a new user (or `userId` again, with `token`). */
  async register(name = "Tester", userId: string = crypto.randomUUID(), token?: string): Promise<TestUser> {
    const response = await this.post("/presence/register", { user_id: userId, name }, tokenHeader(token));
    if (response.status !== 200) throw new Error(`register failed: ${response.status} ${await response.text()}`);
    const body = await response.json();
    return { userId, name: body.name, token: body.token };
  }

  /** Opens a chat socket for a user and waits until it is open. */
  async chat(user: TestUser): Promise<TestSocket> {
    const socket = new TestSocket(this.ws(`/ws/chat?me=${user.userId}&token=${user.token}`));
    await socket.opened;
    return socket;
  }

  /** Opens a presence socket for a user (diff mode if asked) and waits for its snapshot. */
  async presence(user: TestUser, mode?: "diff"): Promise<TestSocket> {
    const query = `user_id=${user.userId}&token=${user.token}${mode ? `&mode=${mode}` : ""}`;
    const socket = new TestSocket(this.ws(`/presence/ws?${query}`));
    await socket.opened;
    await socket.next((frame) => frame.type === "presence");
    return socket;
  }

  /** Stops the server. */
  shutdown(): Promise<void> {
    return this.server.shutdown();
  }
}

function tokenHeader(token: string | undefined): HeadersInit {
  return token ? { cookie: `qc_token=${token}` } : {};
}

/** Starts a server on a kind of database, with settings on top of {@link TEST_ENV}. */
export async function startServer(
  kind: DatabaseKind,
  env: Record<string, string> = {},
  database?: Database,
): Promise<TestServer> {
  const db = database ?? await freshDatabase(kind);
  const server = await start(loadConfig({ ...TEST_ENV, ...env }), { database: db });
  return new TestServer(server, kind);
}

/**
 * Registers `fn` as one test per database kind, with a server started for it
 * and stopped after, whatever happens.
 */
export function dbTest(
  name: string,
  fn: (server: TestServer) => Promise<void>,
  env: Record<string, string> = {},
): void {
  for (const kind of DATABASE_KINDS) {
    Deno.test({
      name: `${name} (${kind})`,
      // The shared database stays open between tests on purpose.
      sanitizeResources: false,
      sanitizeOps: false,
      async fn() {
        const server = await startServer(kind, env);
        try {
          await fn(server);
        } finally {
          await server.shutdown();
        }
      },
    });
  }
}

/** Roster entries of a presence frame, sorted by id. */
export function rosterOf(frame: { users: { user_id: string; name: string }[] }): string[] {
  return frame.users.map((user) => user.user_id).sort();
}
