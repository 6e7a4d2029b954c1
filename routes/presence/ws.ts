import { ConnectionKind } from "../../lib/connection.ts";
import { readFrame } from "../../lib/frames.ts";
import { define } from "../../lib/state.ts";
import { upgradeForUser } from "../../lib/upgrade.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const { presence, config } = ctx.state;
    const diff = ctx.url.searchParams.get("mode") === "diff";
    return await upgradeForUser(ctx, "user_id", ConnectionKind.Presence, {
      open(connection) {
        connection.diff = diff;
        presence.attach(connection);
      },
      message(connection, data) {
        const frame = readFrame(connection, data, config.limits.frameMaxBytes, Date.now());
        if (frame === null) return;
        if (frame.type === "ping") connection.send('{"type":"pong"}');
        else connection.sendError("INVALID_PAYLOAD", 'Presence sockets accept only {"type":"ping"}');
      },
      close: (connection) => presence.detach(connection),
    });
  },
});
