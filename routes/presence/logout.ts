import { HttpError } from "fresh";
import { presentedToken } from "../../lib/identity.ts";
import { readJsonBody } from "../../lib/json_body.ts";
import { LogoutBody } from "../../lib/protocol.ts";
import type { LogoutResponse } from "../../lib/server_schemas.ts";
import { define } from "../../lib/state.ts";

export const handler = define.handlers({
  async POST(ctx) {
    const { identities, presence } = ctx.state;
    const { user_id } = await readJsonBody(ctx.req, LogoutBody);
    if (!await identities.verify(user_id, presentedToken(ctx.req, ctx.url))) {
      throw new HttpError(401, "Present this user's token to log them out", "UNAUTHORIZED");
    }
    await presence.logout(user_id);
    // The token stays valid: logging out takes the user offline, it does not give their id away.
    const body: LogoutResponse = { ok: true, user_id };
    return Response.json(body);
  },
});
