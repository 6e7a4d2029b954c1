import { createHmac, randomBytes } from "node:crypto";
import type { Database, Queryable } from "../db/database.ts";
import { identityBinding, sharedSecret } from "../db/identities.ts";

/** Name of the cookie that carries the identity token. */
export const TOKEN_COOKIE = "qc_token";

/**
 * A token: the id's binding (32 hex digits), a dot and an HMAC-SHA-256 in
 * unpadded base64url; for ids bound before bindings existed, the HMAC alone.
 */
const TOKEN_PATTERN = /^(?:([0-9a-f]{32})\.)?[A-Za-z0-9_-]{43}$/;

/** Bindings kept after a register or a lookup, the oldest dropped first. */
const KEPT_BINDINGS = 8192;
/**
 * How long a kept binding is trusted without asking the database again. An
 * id is bound anew only after it was forgotten (unseen for weeks) or lost
 * (a database restored from a backup), and another instance may have done
 * it: an instance keeps accepting the earlier binding's token for at most
 * this long.
 */
const KEEP_MS = 10 * 60_000;

interface Kept {
  binding: string;
  token: string;
  at: number;
}

/**
 * Signs and checks identity tokens. A user id is bound under a binding, a
 * random value the database stores with the id when it is first registered;
 * the token names the binding and signs it with the id (HMAC-SHA-256). It
 * proves its holder is the one who registered the id under that binding,
 * not someone who got the id after it was forgotten or lost. A forged token
 * is refused on its signature alone; a genuine one is checked against the
 * id's binding, kept in memory for the last few thousand users (a user's
 * arrival binds one and checks it twice, once per socket, within moments)
 * and read from the database otherwise. The HMAC is computed on the spot,
 * with no trip off the event loop's thread, and compared in constant time.
 *
 * @example
 * ```ts
 * const identities = await Identities.create(db, undefined);
 * const token = identities.bound(userId, binding); // as the register's statement returned it
 * await identities.proven(userId, token); // binding
 * ```
 */
export class Identities {
  #db: Queryable;
  #secret: string;
  #kept = new Map<string, Kept>();

  private constructor(db: Queryable, secret: string) {
    this.#db = db;
    this.#secret = secret;
  }

  /** Uses `secret`, or else the secret stored in the database (made once, shared by every instance). */
  static async create(db: Database, secret: string | undefined): Promise<Identities> {
    return new Identities(db, secret ?? await sharedSecret(db, "session", randomSecret()));
  }

  /** The token of a user id under `binding`; `""` is the binding of ids bound before bindings existed. */
  sign(userId: string, binding: string): string {
    if (binding === "") return createHmac("sha256", this.#secret).update(`quick-chat:${userId}`).digest("base64url");
    const mac = createHmac("sha256", this.#secret).update(`quick-chat:${userId}:${binding}`).digest("base64url");
    return `${binding}.${mac}`;
  }

  /** Notes that `userId` (a UUID) is bound under `binding`, as the database just said; returns its token. */
  bound(userId: string, binding: string): string {
    return this.#keep(userId, binding).token;
  }

  /**
   * The binding `token` proves for `userId` (a UUID), or `null` when it
   * proves none: no token, a forged one, one of another id, or one of a
   * binding the id no longer has (or an id not bound).
   */
  async proven(userId: string, token: string | null): Promise<string | null> {
    const binding = this.signed(userId, token);
    if (binding === null) return null;
    const kept = this.#kept.get(userId);
    if (kept?.binding === binding && Date.now() - kept.at < KEEP_MS) return binding;
    // A genuine token: is its binding still the id's?
    const asked = Date.now();
    const stored = await identityBinding(this.#db, userId);
    const since = this.#kept.get(userId);
    // Bound (or read) here while the read was under way: that is the newer word.
    if (since !== undefined && since.at >= asked) return since.binding === binding ? binding : null;
    if (stored === null) {
      this.#kept.delete(userId);
      return null;
    }
    this.#keep(userId, stored);
    return stored === binding ? binding : null;
  }

  /**
   * The binding `token` is signed for with `userId`, or `null` for no token
   * or a forged one; whether it is still the id's binding is not asked.
   */
  signed(userId: string, token: string | null): string | null {
    if (token === null) return null;
    const binding = bindingOf(token);
    if (binding === null) return null;
    const kept = this.#kept.get(userId);
    const expected = kept?.binding === binding ? kept.token : this.sign(userId, binding);
    return equalInConstantTime(expected, token) ? binding : null;
  }

  /** Whether `token` proves `userId` (a UUID). */
  async verify(userId: string, token: string | null): Promise<boolean> {
    return await this.proven(userId, token) !== null;
  }

  #keep(userId: string, binding: string): Kept {
    const known = this.#kept.get(userId);
    const token = known?.binding === binding ? known.token : this.sign(userId, binding);
    this.#kept.delete(userId);
    if (this.#kept.size >= KEPT_BINDINGS) this.#kept.delete(this.#kept.keys().next().value!);
    const kept = { binding, token, at: Date.now() };
    this.#kept.set(userId, kept);
    return kept;
  }
}

/** The binding a token names (`""` for a token of before bindings), or `null` when it is no token. */
function bindingOf(token: string): string | null {
  const match = TOKEN_PATTERN.exec(token);
  return match === null ? null : match[1] ?? "";
}

/** Compares two strings in time that depends on their length only. */
function equalInConstantTime(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/**
 * The token a request presents: the `token` query parameter, else an
 * `Authorization: Bearer` header, else the cookie. Browsers can give their
 * sockets no header, so those take the parameter.
 */
export function presentedToken(req: Request, url: URL): string | null {
  const fromQuery = url.searchParams.get("token");
  if (fromQuery) return fromQuery;
  const bearer = /^Bearer +(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "");
  if (bearer) return bearer[1];
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
