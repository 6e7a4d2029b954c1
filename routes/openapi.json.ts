import { define } from "../lib/state.ts";

export const handler = define.handlers({
  GET(ctx) {
    return new Response(ctx.state.openapi, {
      headers: {
        "content-type": "application/json; charset=utf-8",
        "cache-control": "no-cache",
        // A public description, so that API tools on other origins may read it.
        "access-control-allow-origin": "*",
      },
    });
  },
});
