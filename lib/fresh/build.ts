import { type BuildManifest, MANIFEST_FILE } from "./build_output.ts";
import { ASSET_PREFIX } from "./constants.ts";
import { contentType } from "./content_type.ts";
import { generateManifest, listModules } from "./manifest_gen.ts";
import { sha256Hex, walkFiles } from "./_util.ts";

/** Options of {@link build}. */
export interface BuildOptions {
  /** The app's root folder (holding `deno.json`, `routes/`, `islands/`, `static/`). */
  root: URL;
  /** Skip the build when the sources have not changed since the last one. */
  ifStale?: boolean;
  /** Minify the output (off in development). */
  minify?: boolean;
}

/** What a build did. */
export interface BuildResult {
  skipped: boolean;
  manifest: BuildManifest;
}

const BUILD_DIR = "_fresh/";
const BOOT_MODULE = "lib/fresh/client/boot.ts";
const HASHED_INPUTS = /\.(tsx?|jsx?|css|json|svg)$/;
const UNHASHED_FOLDERS = new Set([".git", "node_modules", "_fresh", "tests", "bench", ".ci"]);

/**
 * Builds the app's client assets into `_fresh/`: regenerates `fresh.gen.ts`,
 * bundles the boot module and every island in one code-split build (so Preact
 * and shared signals exist once in the browser), and compiles each top-level
 * stylesheet in `static/` with Tailwind.
 *
 * @example
 * ```ts
 * await build({ root: new URL("./", import.meta.url), ifStale: true });
 * ```
 */
export async function build({ root, ifStale = false, minify = true }: BuildOptions): Promise<BuildResult> {
  const routes = await listModules(root, "routes");
  const islands = await listModules(root, "islands");
  await writeIfChanged(new URL("fresh.gen.ts", root), generateManifest(routes, islands));

  const inputHash = await hashInputs(root);
  const outDir = new URL(BUILD_DIR, root);
  if (ifStale) {
    const previous = await readManifest(outDir);
    if (previous?.inputHash === inputHash) return { skipped: true, manifest: previous };
  }

  const js = await bundle(root, islands, minify);
  const css = await compileStyles(root);
  const buildId = (await sha256Hex(...js.values(), ...css.values())).slice(0, 12);

  const manifest: BuildManifest = {
    buildId,
    inputHash,
    client: { boot: "", islands: {} },
    css: {},
    files: {},
  };
  const outputs = new Map<string, Uint8Array>();
  for (const [path, contents] of js) {
    const url = `${ASSET_PREFIX}js/${buildId}/${path}`;
    outputs.set(url, contents);
    manifest.files[url] = { file: `js/${buildId}/${path}`, type: contentType(path) };
    if (path === BOOT_MODULE.replace(/\.ts$/, ".js")) manifest.client.boot = url;
    const island = islands.find((file) => file.slice(2).replace(/\.[jt]sx?$/, ".js") === path);
    if (island) manifest.client.islands[island] = url;
  }
  for (const [name, contents] of css) {
    const hash = (await sha256Hex(contents)).slice(0, 12);
    const url = `${ASSET_PREFIX}css/${hash}/${name}`;
    outputs.set(url, contents);
    manifest.files[url] = { file: `css/${hash}/${name}`, type: contentType(name) };
    manifest.css[`/${name}`] = url;
  }

  await Deno.remove(outDir, { recursive: true }).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  for (const [url, contents] of outputs) {
    const file = new URL(manifest.files[url].file, outDir);
    await Deno.mkdir(new URL("./", file), { recursive: true });
    await Deno.writeFile(file, contents);
  }
  await Deno.writeTextFile(new URL(MANIFEST_FILE, outDir), JSON.stringify(manifest, null, 2) + "\n");
  return { skipped: false, manifest };
}

/**
 * Bundles with the automatic JSX runtime: `precompile` output only renders on
 * the server, so the client build gets its own config that reuses the app's
 * import map.
 */
async function bundle(root: URL, islands: string[], minify: boolean): Promise<Map<string, Uint8Array>> {
  const workDir = new URL("_fresh/.bundle/", root);
  await Deno.remove(workDir, { recursive: true }).catch(() => {});
  await Deno.mkdir(workDir, { recursive: true });
  try {
    const config = new URL("client.json", workDir);
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        importMap: "../../deno.json",
        nodeModulesDir: "manual",
        compilerOptions: { jsx: "react-jsx", jsxImportSource: "preact" },
      }),
    );
    const outDir = new URL("out/", workDir);
    const args = ["bundle", "--config", config.pathname, "--quiet", "--code-splitting", "--format", "esm"];
    args.push("--platform", "browser", "--outdir", outDir.pathname, BOOT_MODULE, ...islands);
    if (minify) args.push("--minify");
    const { success, stderr } = await new Deno.Command(Deno.execPath(), {
      args,
      cwd: root.pathname,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!success) throw new Error(`Bundling the islands failed:\n${new TextDecoder().decode(stderr)}`);
    const files = new Map<string, Uint8Array>();
    for await (const { path, url } of walkFiles(outDir)) files.set(path, await Deno.readFile(url));
    return files;
  } finally {
    await Deno.remove(workDir, { recursive: true });
  }
}

async function compileStyles(root: URL): Promise<Map<string, Uint8Array>> {
  const styles = new Map<string, Uint8Array>();
  const dir = new URL("static/", root);
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return styles;
    throw error;
  }
  for (const entry of entries) {
    if (!entry.isFile || !entry.name.endsWith(".css")) continue;
    const command = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "@tailwindcss/cli", "--input", `static/${entry.name}`, "--minify", "--silent"],
      cwd: root.pathname,
      stdout: "piped",
      stderr: "piped",
    });
    const { success, stdout, stderr } = await command.output();
    if (!success) {
      throw new Error(`Tailwind failed on "static/${entry.name}":\n${new TextDecoder().decode(stderr)}`);
    }
    styles.set(entry.name, stdout);
  }
  return styles;
}

async function hashInputs(root: URL): Promise<string> {
  const chunks: Uint8Array[] = [];
  const encoder = new TextEncoder();
  for await (const { path, url } of walkFiles(root, UNHASHED_FOLDERS)) {
    if (HASHED_INPUTS.test(path)) chunks.push(encoder.encode(`${path}\n`), await Deno.readFile(url));
  }
  return await sha256Hex(...chunks);
}

async function readManifest(outDir: URL): Promise<BuildManifest | null> {
  try {
    return JSON.parse(await Deno.readTextFile(new URL(MANIFEST_FILE, outDir)));
  } catch {
    return null;
  }
}

async function writeIfChanged(file: URL, text: string): Promise<void> {
  const current = await Deno.readTextFile(file).catch(() => null);
  if (current !== text) await Deno.writeTextFile(file, text);
}
