import { ASSET_PREFIX, IMMUTABLE } from "./constants.ts";
import type { Middleware } from "./context.ts";
import type { BuildOutput, BuiltAsset } from "./build_output.ts";
import { contentType } from "./content_type.ts";
import { sha256Hex, walkFiles } from "./_util.ts";

/** Options of {@link staticFiles}. */
export interface StaticFilesOptions {
  /** The `static/` folder; its files are indexed once, at start-up. */
  root: URL;
  /** The loaded build, whose assets are served under `/_fresh/`. */
  build: BuildOutput | null;
}

interface StaticFile {
  file: URL;
  type: string;
  etag: string;
}

/**
 * Serves built assets under `/_fresh/` (immutable, gzip when accepted) and the
 * files of `static/` (with ETags). Only files indexed at start-up are served,
 * so no request path can reach outside `static/`.
 *
 * @example
 * ```ts
 * app.use(await staticFiles({ root: new URL("./static/", import.meta.url), build }));
 * ```
 */
export async function staticFiles<State>({ root, build }: StaticFilesOptions): Promise<Middleware<State>> {
  const files = await indexFolder(root);
  const builtCss = new Map<string, BuiltAsset>();
  for (const [path, url] of Object.entries(build?.manifest.css ?? {})) {
    const asset = build!.assets.get(url);
    if (asset) builtCss.set(path, asset);
  }

  return async function serveStatic(ctx) {
    const { req, url } = ctx;
    if (req.method !== "GET" && req.method !== "HEAD") return ctx.next();
    const path = url.pathname;
    if (path.startsWith(ASSET_PREFIX)) {
      const asset = build?.assets.get(path);
      return asset ? assetResponse(req, asset, IMMUTABLE) : ctx.next();
    }
    const css = builtCss.get(path);
    if (css) return assetResponse(req, css, "no-cache");
    const file = files.get(decodePath(path));
    if (!file) return ctx.next();
    if (req.headers.get("if-none-match") === file.etag) {
      return new Response(null, { status: 304, headers: { etag: file.etag } });
    }
    const body = req.method === "HEAD" ? null : await Deno.readFile(file.file);
    return new Response(body, {
      headers: { "content-type": file.type, etag: file.etag, "cache-control": "no-cache" },
    });
  };
}

function assetResponse(req: Request, asset: BuiltAsset, cacheControl: string): Response {
  const headers = new Headers({
    "content-type": asset.type,
    "cache-control": cacheControl,
    etag: asset.etag,
    vary: "accept-encoding",
  });
  if (req.headers.get("if-none-match") === asset.etag) return new Response(null, { status: 304, headers });
  let body = asset.body;
  if (asset.gzip && /\bgzip\b/.test(req.headers.get("accept-encoding") ?? "")) {
    body = asset.gzip;
    headers.set("content-encoding", "gzip");
  }
  return new Response(req.method === "HEAD" ? null : body, { headers });
}

async function indexFolder(root: URL): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  for await (const { path, url } of walkFiles(root)) {
    if (path.split("/").some((part) => part.startsWith("."))) continue;
    const etag = `"${(await sha256Hex(await Deno.readFile(url))).slice(0, 16)}"`;
    files.set(`/${path}`, { file: url, type: contentType(path), etag });
  }
  return files;
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
