import type { ClientModules } from "./render.ts";

/** The file `deno task build` writes beside the built assets. */
export interface BuildManifest {
  /** Hash of all built files; part of every asset URL. */
  buildId: string;
  /** Hash of the sources the build was made from, to tell when it is stale. */
  inputHash: string;
  client: ClientModules;
  /** Built stylesheets by their `static/` path, e.g. `/styles.css`. */
  css: Record<string, string>;
  /** Every served asset: URL → file under the build folder and its type. */
  files: Record<string, { file: string; type: string }>;
}

/** One built asset, held in memory with a precompressed copy. */
export interface BuiltAsset {
  type: string;
  etag: string;
  body: Uint8Array<ArrayBuffer>;
  gzip: Uint8Array<ArrayBuffer> | null;
}

/** A loaded build: its manifest and its assets by URL. */
export interface BuildOutput {
  manifest: BuildManifest;
  assets: Map<string, BuiltAsset>;
}

/** Name of the manifest file inside the build folder. */
export const MANIFEST_FILE = "manifest.json";

/**
 * Reads a build folder made by `deno task build` into memory, or returns
 * `null` when there is none.
 *
 * @example
 * ```ts
 * const build = await loadBuild(new URL("./_fresh/", import.meta.url));
 * ```
 */
export async function loadBuild(dir: URL): Promise<BuildOutput | null> {
  let manifest: BuildManifest;
  try {
    manifest = JSON.parse(await Deno.readTextFile(new URL(MANIFEST_FILE, dir)));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  const assets = new Map<string, BuiltAsset>();
  await Promise.all(
    Object.entries(manifest.files).map(async ([url, { file, type }]) => {
      const body = await Deno.readFile(new URL(file, dir));
      const gzip = type.startsWith("text/") || type.includes("javascript") ? await compress(body) : null;
      assets.set(url, { type, body, gzip, etag: `"${manifest.buildId}"` });
    }),
  );
  return { manifest, assets };
}

async function compress(body: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([body]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
