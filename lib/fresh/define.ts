import type { ComponentType } from "preact";
import type { HandlerByMethod, HandlerFn, Middleware, PageProps } from "./context.ts";

/** Typed identity helpers for one app's `State`, as in Fresh. */
export interface Define<State> {
  /** Types a route's `handler` export. */
  handlers<T extends HandlerFn<State> | HandlerByMethod<State>>(handlers: T): T;
  /** Types a page component. */
  page<Data = unknown>(page: ComponentType<PageProps<Data, State>>): ComponentType<PageProps<Data, State>>;
  /** Types a middleware. */
  middleware(middleware: Middleware<State>): Middleware<State>;
}

/**
 * Creates the `define` helpers for an app's state type.
 *
 * @example
 * ```ts
 * export const define = createDefine<{ user: string }>();
 * export const handler = define.handlers({ GET: (ctx) => new Response(ctx.state.user) });
 * ```
 */
export function createDefine<State>(): Define<State> {
  return {
    handlers: (handlers) => handlers,
    page: (page) => page,
    middleware: (middleware) => middleware,
  };
}
