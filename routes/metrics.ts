import { define } from "../lib/state.ts";

export const handler = define.handlers({
  GET(ctx) {
    const { metrics, presence } = ctx.state;
    const sockets = presence.socketCounts();
    const body = metrics.render({
      chatSockets: sockets.chat,
      presenceSockets: sockets.presence,
      usersOnline: presence.feed.size,
    });
    return new Response(body, {
      headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" },
    });
  },
});
