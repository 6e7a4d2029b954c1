/**
 * A small Fresh-compatible runtime: file routes, pages rendered on the server,
 * islands hydrated in the browser, and built assets.
 *
 * @example
 * ```ts
 * import { App, loadBuild, staticFiles } from "fresh";
 * import manifest from "./fresh.gen.ts";
 *
 * const build = await loadBuild(new URL("./_fresh/", import.meta.url));
 * const app = new App({ build })
 *   .use(await staticFiles({ root: new URL("./static/", import.meta.url), build }))
 *   .fsRoutes(manifest);
 * Deno.serve(app.handler());
 * ```
 *
 * @module
 */
export { App, type AppOptions, defaultCsp, type Manifest } from "./app.ts";
export { asset } from "./asset.ts";
export { type BuildOutput, loadBuild } from "./build_output.ts";
export {
  type AppProps,
  Context,
  type HandlerByMethod,
  type HandlerFn,
  type Middleware,
  type PageProps,
  type RouteHandler,
} from "./context.ts";
export { createDefine, type Define } from "./define.ts";
export { HttpError } from "./http_error.ts";
export { staticFiles, type StaticFilesOptions } from "./static_files.ts";
