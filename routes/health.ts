import { define } from "../lib/state.ts";

export const handler = define.handlers({
  GET() {
    return Response.json({ status: "ok" });
  },
});
