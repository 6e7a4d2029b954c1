import { createHmac, randomBytes } from "node:crypto";
import type { Database } from "../db/database.ts";
import { sharedSecret } from "../db/identities.ts";

/** Name of the cookie that carries the identity token. */
export const TOKEN_COOKIE = "qc_token";

/** A token: HMAC-SHA-256 in unpadded base64url. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Tokens kept after signing, the oldest dropped first. */
const RECENT_TOKENS = 4096;
/** The longest id whose token is kept: ids are UUIDs (every caller checks), so the kept tokens stay small. */
const KEPT_ID_MAX_CHARS = 36;

/**
 * Signs and checks identity tokens: an HMAC-SHA-256 over the user id, so a
 * token proves its holder is the one who first registered the id. The HMAC
 * is computed on the spot, with no trip off the event loop's thread, and the
 * comparison takes constant time. The last few thousand tokens are kept: a
 * user's arrival signs one (the register) and checks it twice (both sockets)
 * within moments, and `createHmac` builds a stream each time, some 60 µs on
 * a busy server.
 *
 * @example
 * ```ts
 * const identities = await Identities.create(db, undefined);
 * const token = identities.sign(userId);
 * identities.verify(userId, token); // true
 * ```
 */
export class Identities {
  #secret: string;
  #recent = new Map<string, string>();

  private constructor(secret: string) {
    this.#secret = secret;
  }

  /** Uses `secret`, or else the secret stored in the database (made once, shared by every instance). */
  static async create(db: Database, secret: string | undefined): Promise<Identities> {
    return new Identities(secret ?? await sharedSecret(db, "session", randomSecret()));
  }

  /** The token of a user id. */
  sign(userId: string): string {
    const known = this.#recent.get(userId);
    if (known !== undefined) return known;
    const token = createHmac("sha256", this.#secret).update(`quick-chat:${userId}`).digest("base64url");
    if (userId.length > KEPT_ID_MAX_CHARS) return token;
    if (this.#recent.size >= RECENT_TOKENS) this.#recent.delete(this.#recent.keys().next().value!);
    this.#recent.set(userId, token);
    return token;
  }

  /** Whether `token` is the token of `userId`. */
  verify(userId: string, token: string | null): boolean {
    if (token === null || !TOKEN_PATTERN.test(token)) return false;
    return equalInConstantTime(this.sign(userId), token);
  }
}

/** Compares two strings in time that depends on their length only. */
function equalInConstantTime(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/** The token a request presents: the `token` query parameter, else the cookie. */
export function presentedToken(req: Request, url: URL): string | null {
  const fromQuery = url.searchParams.get("token");
  if (fromQuery) return fromQuery;
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name !== TOKEN_COOKIE) continue;
    try {
      return decodeURIComponent(value.join("="));
    } catch {
      // A malformed escape is no token at all.
      return null;
    }
  }
  return null;
}

/** The `Set-Cookie` value that stores a token: `HttpOnly; SameSite=Lax`, and `Secure` behind HTTPS. */
export function tokenCookie(token: string, secure: boolean): string {
  const attributes = [`${TOKEN_COOKIE}=${token}`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=31536000"];
  if (secure) attributes.push("Secure");
  return attributes.join("; ");
}

function randomSecret(): string {
  return randomBytes(32).toString("base64url");
}
