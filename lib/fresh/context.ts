import type { ComponentType } from "preact";

/** The props a page component receives. */
export interface PageProps<Data = unknown, State = unknown> {
  /** Data passed to `ctx.render(data)`. */
  data: Data;
  url: URL;
  params: Record<string, string>;
  state: State;
}

/** The props `_app` receives: the page to wrap, plus the page's props. */
export interface AppProps<State = unknown> extends PageProps<unknown, State> {
  Component: ComponentType;
}

/** Renders the current route's page; provided by the app. */
export type PageRenderer<State> = (
  ctx: Context<State>,
  data: unknown,
  init: ResponseInit | undefined,
) => Response;

/**
 * What a handler or middleware sees of one request.
 *
 * @example
 * ```ts
 * export const handler = {
 *   GET(ctx: Context<unknown>) {
 *     return ctx.render({ name: ctx.params.name });
 *   },
 * };
 * ```
 */
export class Context<State> {
  /** The incoming request. */
  readonly req: Request;
  /** The request's URL, parsed once. */
  readonly url: URL;
  /** Connection details from `Deno.serve`. */
  readonly info: Deno.ServeHandlerInfo;
  /** Values of the route's dynamic segments. */
  params: Record<string, string> = {};
  /** Per-request state that middlewares fill in for later handlers. */
  state: State;
  /** Runs the rest of the middleware chain and the route. */
  next: () => Promise<Response>;
  #render: PageRenderer<State> | null = null;

  constructor(req: Request, url: URL, info: Deno.ServeHandlerInfo, state: State) {
    this.req = req;
    this.url = url;
    this.info = info;
    this.state = state;
    this.next = () => Promise.reject(new Error("There is no next handler after the route's handler"));
  }

  /** Sets the page renderer of the matched route; used by the app. */
  setRenderer(render: PageRenderer<State> | null): void {
    this.#render = render;
  }

  /** Renders the route's page component with `data` as `props.data`. */
  render(data?: unknown, init?: ResponseInit): Response {
    if (this.#render === null) {
      throw new Error(`Route "${this.url.pathname}" has no page component to render`);
    }
    return this.#render(this, data, init);
  }
}

/** A function that handles a request, or passes it on with `ctx.next()`. */
export type Middleware<State> = (
  ctx: Context<State>,
) => Response | Promise<Response>;

/** A handler for one HTTP method. */
export type HandlerFn<State> = Middleware<State>;

/** The HTTP methods a route may handle. */
export type Method = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

/** Handlers keyed by HTTP method. */
export type HandlerByMethod<State> = Partial<Record<Method, HandlerFn<State>>>;

/** What a route module's `handler` export may be. */
export type RouteHandler<State> = HandlerFn<State> | HandlerByMethod<State>;

/** The exports of a file under `routes/`. */
export interface RouteModule<State = unknown> {
  handler?: RouteHandler<State> | Middleware<State>[];
  // deno-lint-ignore no-explicit-any
  default?: ComponentType<any>;
}

/** The exports of a file under `islands/`. */
export type IslandModule = Record<string, unknown>;
