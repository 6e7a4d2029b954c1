/**
 * Development entry and builder: `deno task build` builds the client assets
 * ahead of time (`build --if-stale` only when the sources changed);
 * `deno task dev` builds unminified, then serves, and Deno's watcher restarts
 * it on every change.
 */
import { build } from "./lib/fresh/build.ts";

const root = new URL("./", import.meta.url);

if (Deno.args[0] === "build") {
  const started = performance.now();
  const result = await build({ root, ifStale: Deno.args.includes("--if-stale") });
  if (!result.skipped) {
    console.log(`Built ${result.manifest.buildId} in ${Math.round(performance.now() - started)} ms`);
  }
} else {
  await build({ root, minify: false });
  await import("./main.ts");
}
