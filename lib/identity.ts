import type { Database } from "../db/database.ts";
import { sharedSecret } from "../db/identities.ts";

/** Name of the cookie that carries the identity token. */
export const TOKEN_COOKIE = "qc_token";

const encoder = new TextEncoder();

/**
 * Signs and checks identity tokens: an HMAC-SHA-256 over the user id, so a
 * token proves its holder is the one who first registered the id. Checks use
 * WebCrypto's `verify`, which compares in constant time.
 *
 * @example
 * ```ts
 * const identities = await Identities.create(db, undefined);
 * const token = await identities.sign(userId);
 * await identities.verify(userId, token); // true
 * ```
 */
export class Identities {
  #key: CryptoKey;
  /**
   * Tokens signed or verified lately, by user id: a user's register and
   * sockets then cost one HMAC instead of one each, as WebCrypto's calls leave
   * the event loop's thread. Bounded, oldest first out.
   */
  #known = new Map<string, string>();

  private constructor(key: CryptoKey) {
    this.#key = key;
  }

  /** Uses `secret`, or else the secret stored in the database (made once, shared by every instance). */
  static async create(db: Database, secret: string | undefined): Promise<Identities> {
    const value = secret ?? await sharedSecret(db, "session", randomSecret());
    const key = await crypto.subtle.importKey("raw", encoder.encode(value), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    return new Identities(key);
  }

  /** The token of a user id. */
  async sign(userId: string): Promise<string> {
    const known = this.#known.get(userId);
    if (known !== undefined) return known;
    const signature = await crypto.subtle.sign("HMAC", this.#key, encoder.encode(`quick-chat:${userId}`));
    const token = toBase64Url(new Uint8Array(signature));
    this.#remember(userId, token);
    return token;
  }

  /** Whether `token` is the token of `userId`. */
  async verify(userId: string, token: string | null): Promise<boolean> {
    if (token === null) return false;
    const known = this.#known.get(userId);
    if (known !== undefined) return equalInConstantTime(known, token);
    const signature = fromBase64Url(token);
    if (signature === null || signature.length !== 32) return false;
    const valid = await crypto.subtle.verify("HMAC", this.#key, signature, encoder.encode(`quick-chat:${userId}`));
    if (valid) this.#remember(userId, token);
    return valid;
  }

  #remember(userId: string, token: string): void {
    this.#known.delete(userId);
    this.#known.set(userId, token);
    if (this.#known.size > KNOWN_TOKENS) this.#known.delete(this.#known.keys().next().value!);
  }
}

/** How many users' tokens are kept at hand. */
const KNOWN_TOKENS = 20_000;

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
    if (name === TOKEN_COOKIE) return decodeURIComponent(value.join("="));
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
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(text)) return null;
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
}
