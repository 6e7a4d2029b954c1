import { ConnectionKind } from "../../lib/connection.ts";
import { define } from "../../lib/state.ts";
import { upgradeForUser } from "../../lib/upgrade.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const { presence, chat } = ctx.state;
    return await upgradeForUser(ctx, "me", ConnectionKind.Chat, {
      open: (connection) => presence.attach(connection),
      message: (connection, data) => chat.receive(connection, data),
      close: (connection) => presence.detach(connection),
    });
  },
});
