import { createDefine } from "fresh";

/** What middlewares put in `ctx.state` for routes. */
// deno-lint-ignore ban-types
export type State = {};

/** Typed `define` helpers for Quick Chat's routes. */
export const define = createDefine<State>();
