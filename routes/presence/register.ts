import { HttpError } from "fresh";
import { clientAddress } from "../../lib/client_address.ts";
import { presentedToken, tokenCookie } from "../../lib/identity.ts";
import { readJsonBody } from "../../lib/json_body.ts";
import { RegisterBody, type RegisterResponse } from "../../lib/protocol.ts";
import { isSecure } from "../../lib/secure.ts";
import { define } from "../../lib/state.ts";

export const handler = define.handlers({
  async POST(ctx) {
    const { identities, presence, registrations } = ctx.state;
    const { user_id, name } = await readJsonBody(ctx.req, RegisterBody);
    // The statement checks that the binding is still the id's, in the same step as it registers.
    const claimed = identities.signed(user_id, presentedToken(ctx.req, ctx.url));
    // Coming back or renaming shows a token; new users, and claims to ids taken, are counted per client.
    const waitMs = claimed !== null
      ? 0
      : registrations.take(clientAddress(ctx.req, ctx.info, ctx.state.config.trustProxy));
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new HttpError(
        429,
        `Too many new users from your network; try again in ${seconds} s`,
        "RATE_LIMITED",
        { "retry-after": String(seconds) },
      );
    }
    const binding = await presence.register(user_id, name, claimed);
    if (binding === null) {
      throw new HttpError(401, "This user id is taken; present its token to use it", "UNAUTHORIZED");
    }
    const token = identities.bound(user_id, binding);
    const body: RegisterResponse = { ok: true, user_id, name, token };
    return Response.json(body, { headers: { "set-cookie": tokenCookie(token, isSecure(ctx.req, ctx.url)) } });
  },
});
