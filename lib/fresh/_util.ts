import { Buffer } from "node:buffer";
/** A file found by {@link walkFiles}. */
export interface WalkedFile {
  /** Path relative to the walked folder, with `/` separators. */
  path: string;
  url: URL;
}

/**
 * Yields every file under a folder, sorted by path, skipping folders named in
 * `skip`; a missing folder yields nothing.
 */
export async function* walkFiles(dir: URL, skip: ReadonlySet<string> = new Set()): AsyncGenerator<WalkedFile> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const entry of entries) {
    if (entry.isDirectory && !skip.has(entry.name)) {
      for await (const file of walkFiles(new URL(`${encodeURIComponent(entry.name)}/`, dir), skip)) {
        yield { path: `${entry.name}/${file.path}`, url: file.url };
      }
    } else if (entry.isFile) {
      yield { path: entry.name, url: new URL(encodeURIComponent(entry.name), dir) };
    }
  }
}

/** The SHA-256 of the chunks, concatenated, as lowercase hex. */
export async function sha256Hex(...chunks: Uint8Array[]): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", Buffer.concat(chunks));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
