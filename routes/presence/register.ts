import { HttpError } from "fresh";
import { presentedToken, tokenCookie } from "../../lib/identity.ts";
import { readJsonBody } from "../../lib/json_body.ts";
import { RegisterBody, type RegisterResponse } from "../../lib/protocol.ts";
import { isSecure } from "../../lib/secure.ts";
import { define } from "../../lib/state.ts";

export const handler = define.handlers({
  async POST(ctx) {
    const { identities, presence } = ctx.state;
    const { user_id, name } = await readJsonBody(ctx.req, RegisterBody);
    const proven = identities.verify(user_id, presentedToken(ctx.req, ctx.url));
    if (!await presence.register(user_id, name, proven)) {
      throw new HttpError(401, "This user id is taken; present its token to use it", "UNAUTHORIZED");
    }
    const token = identities.sign(user_id);
    const body: RegisterResponse = { ok: true, user_id, name, token };
    return Response.json(body, { headers: { "set-cookie": tokenCookie(token, isSecure(ctx.req, ctx.url)) } });
  },
});
