import { ApiReference } from "../components/docs/api_reference.tsx";
import { limitsOf } from "../lib/reference/limits.ts";
import { isSecure } from "../lib/secure.ts";
import { define } from "../lib/state.ts";

interface Data {
  /** This server's address as the client sees it, for the examples. */
  origin: string;
}

export const handler = define.handlers({
  GET(ctx) {
    const scheme = isSecure(ctx.req, ctx.url) ? "https" : "http";
    return ctx.render({ origin: `${scheme}://${ctx.url.host}` } satisfies Data);
  },
});

/** The API reference, readable without JavaScript, with this server's limits. */
export default define.page<Data>(function Docs({ data, state }) {
  return <ApiReference origin={data.origin} limits={limitsOf(state.config)} />;
});
