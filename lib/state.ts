import { createDefine } from "fresh";
import type { Database } from "../db/database.ts";
import type { Config } from "../fresh.config.ts";
import type { Chat } from "./chat.ts";
import type { Identities } from "./identity.ts";
import type { Metrics } from "./metrics.ts";
import type { Presence } from "./presence.ts";
import type { ClientLimits } from "./rate_limit.ts";

/** What every route finds in `ctx.state`: the running server's parts. */
export interface State {
  config: Config;
  db: Database;
  identities: Identities;
  presence: Presence;
  chat: Chat;
  metrics: Metrics;
  /** Registrations without a token, by client address. */
  registrations: ClientLimits;
  /** The body of `GET /openapi.json`, built once at start-up for this configuration. */
  openapi: string;
}

/** Typed `define` helpers for Quick Chat's routes. */
export const define = createDefine<State>();
