/**
 * Whether the client reached us over HTTPS, directly or through a proxy that
 * says so (Deno Deploy and most load balancers set `X-Forwarded-Proto`).
 */
export function isSecure(req: Request, url: URL): boolean {
  return url.protocol === "https:" || req.headers.get("x-forwarded-proto")?.split(",")[0].trim() === "https";
}
