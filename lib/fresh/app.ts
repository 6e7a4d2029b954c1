import type { ComponentType } from "preact";
import type { BuildOutput } from "./build_output.ts";
import {
  type AppProps,
  Context,
  type HandlerByMethod,
  type IslandModule,
  type Method,
  type Middleware,
  type PageProps,
  type RouteModule,
} from "./context.ts";
import { HttpError } from "./http_error.ts";
import { setAssetBuild } from "./asset.ts";
import { registerIslands } from "./islands.ts";
import { renderPage } from "./render.ts";
import { pathToPattern, Router } from "./router.ts";

/** The routes and islands of an app, as listed by the generated `fresh.gen.ts`. */
export interface Manifest {
  // deno-lint-ignore no-explicit-any
  routes: Record<string, RouteModule<any>>;
  islands: Record<string, IslandModule>;
}

/** Options of {@link App}. */
export interface AppOptions<State> {
  /** The client build whose modules boot the islands; `null` if none. */
  build?: BuildOutput | null;
  /** The Content-Security-Policy of pages for a nonce; `false` sends none. */
  csp?: ((nonce: string) => string) | false;
  /** Makes the initial `ctx.state` of each request. */
  state?: () => State;
  /** Turns an error that is not an `HttpError` into one, e.g. an outage into a 503; `undefined` means 500. */
  mapError?: (error: unknown) => HttpError | undefined;
  /** Reports an error that became a 500, or an error page that failed to render; `console.error` by default. */
  reportError?: (error: unknown, req: Request) => void;
}

interface Route<State> {
  handler: RouteModule<State>["handler"];
  page: ComponentType<PageProps> | null;
  middlewares: Middleware<State>[];
}

type ErrorPages = Partial<Record<"notFound" | "error", ComponentType<PageProps>>>;

const METHODS: Method[] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/** The default policy: scripts and styles from this origin, plus the boot script. */
export function defaultCsp(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * A Fresh-style app: global middlewares, then file routes with their folders'
 * `_middleware`, pages wrapped in `_app`, and errors turned into responses in
 * one place.
 *
 * @example
 * ```ts
 * const app = new App({ build }).use(await staticFiles({ root, build })).fsRoutes(manifest);
 * Deno.serve(app.handler());
 * ```
 */
export class App<State = unknown> {
  #middlewares: Middleware<State>[] = [];
  #folderMiddlewares = new Map<string, Middleware<State>[]>();
  #router = new Router<Route<State>>();
  #appComponent: ComponentType<AppProps> | null = null;
  #errorPages: ErrorPages = {};
  #options: AppOptions<State>;

  constructor(options: AppOptions<State> = {}) {
    this.#options = options;
    if (options.build !== undefined) setAssetBuild(options.build);
  }

  /** Adds middlewares that run before every route. */
  use(...middlewares: Middleware<State>[]): this {
    this.#middlewares.push(...middlewares);
    return this;
  }

  /** Adds the routes, `_app`, `_404`, `_500`, `_middleware` files and islands of a manifest. */
  fsRoutes(manifest: Manifest): this {
    for (const [file, module] of Object.entries(manifest.islands)) registerIslands(file, module);
    const routes = Object.entries(manifest.routes).map(([key, module]) => {
      const file = key.replace(/^\.\/routes\//, "");
      return { file, name: file.split("/").at(-1)!.replace(/\.[jt]sx?$/, ""), module };
    });
    for (const { file, name, module } of routes) {
      if (name !== "_middleware") continue;
      const folder = file.slice(0, file.lastIndexOf("/") + 1);
      const handler = module.handler;
      const list = Array.isArray(handler) ? handler : typeof handler === "function" ? [handler] : [];
      if (list.length === 0) throw new Error(`"${file}" must export a middleware function as \`handler\``);
      this.#folderMiddlewares.set(folder, list as Middleware<State>[]);
    }
    for (const { file, name, module } of routes) {
      if (name === "_app") this.#appComponent = module.default ?? null;
      else if (name === "_404") this.#errorPages.notFound = module.default;
      else if (name === "_500") this.#errorPages.error = module.default;
      else if (!name.startsWith("_")) {
        this.#router.add(pathToPattern(file), {
          handler: module.handler,
          page: module.default ?? null,
          middlewares: this.#middlewaresFor(file),
        });
      }
    }
    return this;
  }

  /** The request handler to pass to `Deno.serve`. */
  handler(): (req: Request, info: Deno.ServeHandlerInfo) => Promise<Response> {
    return (req, info) => this.#handle(req, info);
  }

  #middlewaresFor(file: string): Middleware<State>[] {
    const chain: Middleware<State>[] = [];
    const folders = file.split("/").slice(0, -1);
    for (let depth = 0; depth <= folders.length; depth++) {
      const folder = folders.slice(0, depth).map((part) => `${part}/`).join("");
      chain.push(...(this.#folderMiddlewares.get(folder) ?? []));
    }
    return chain;
  }

  async #handle(req: Request, info: Deno.ServeHandlerInfo): Promise<Response> {
    const url = new URL(req.url);
    const ctx = new Context<State>(req, url, info, this.#options.state?.() ?? ({} as State));
    const match = this.#router.match(url.pathname);
    const route = match?.value;
    ctx.params = match?.params ?? {};
    if (route?.page) {
      const page = route.page;
      ctx.setRenderer((ctx, data, init) => this.#render(ctx, page, data, init));
    }
    const chain = [...this.#middlewares, ...(route ? route.middlewares : this.#middlewaresFor(""))];
    const last = route ? (ctx: Context<State>) => this.#runRoute(route, ctx) : notFound;
    const dispatch = async (index: number): Promise<Response> => {
      ctx.next = () => dispatch(index + 1);
      try {
        return await (index < chain.length ? chain[index](ctx) : last(ctx));
      } catch (error) {
        return this.#errorResponse(error, ctx);
      }
    };
    return await dispatch(0);
  }

  async #runRoute(route: Route<State>, ctx: Context<State>): Promise<Response> {
    const method = ctx.req.method as Method;
    const handler = route.handler;
    if (typeof handler === "function") return await handler(ctx);
    if (Array.isArray(handler)) throw new Error("Only `_middleware` files may export a list of handlers");
    const byMethod: HandlerByMethod<State> = handler ?? {};
    const fn = byMethod[method] ?? (method === "HEAD" ? byMethod.GET : undefined);
    if (fn) {
      const response = await fn(ctx);
      return method === "HEAD" ? new Response(null, response) : response;
    }
    if (route.page && (method === "GET" || method === "HEAD") && !byMethod.GET) {
      const response = ctx.render();
      return method === "HEAD" ? new Response(null, response) : response;
    }
    const allowed = METHODS.filter((m) =>
      byMethod[m] || (m === "HEAD" && (byMethod.GET || route.page)) || (m === "GET" && route.page)
    );
    throw new HttpError(405, `Method ${method} is not allowed here; use ${allowed.join(", ")}`, undefined, {
      allow: allowed.join(", "),
    });
  }

  #render(ctx: Context<State>, page: ComponentType<PageProps>, data: unknown, init?: ResponseInit): Response {
    const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
    const props: PageProps = { data, url: ctx.url, params: ctx.params, state: ctx.state };
    const html = renderPage({
      app: this.#appComponent,
      page,
      props,
      nonce,
      client: this.#options.build?.manifest.client ?? null,
    });
    const headers = new Headers(init?.headers);
    headers.set("content-type", "text/html; charset=utf-8");
    const csp = this.#options.csp ?? defaultCsp;
    if (csp !== false && !headers.has("content-security-policy")) headers.set("content-security-policy", csp(nonce));
    return new Response(html, { status: init?.status ?? 200, headers });
  }

  #errorResponse(error: unknown, ctx: Context<State>): Response {
    const mapped = error instanceof HttpError ? error : this.#options.mapError?.(error);
    const httpError = mapped ?? new HttpError(500);
    const report = this.#options.reportError ?? ((error) => console.error(error));
    if (mapped === undefined) report(error, ctx.req);
    const wantsPage = ctx.req.method === "GET" && (ctx.req.headers.get("accept") ?? "").includes("text/html");
    const page = httpError.status === 404 ? this.#errorPages.notFound : this.#errorPages.error;
    if (wantsPage && page) {
      try {
        return this.#render(ctx, page, httpError, { status: httpError.status, headers: httpError.headers });
      } catch (renderError) {
        report(renderError, ctx.req);
      }
    }
    const headers = new Headers(httpError.headers);
    return Response.json({ error: httpError.code, detail: httpError.message }, {
      status: httpError.status,
      headers,
    });
  }
}

function notFound<State>(ctx: Context<State>): never {
  throw new HttpError(404, `Nothing is served at "${ctx.url.pathname}"`);
}
