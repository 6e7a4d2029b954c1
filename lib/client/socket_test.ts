import assert from "node:assert/strict";
import { ReconnectingSocket, RetryLater, type SocketStatus, type StopReason } from "./socket.ts";

/** A WebSocket server whose every connection `onSocket` handles. */
function serve(onSocket: (socket: WebSocket, index: number) => void) {
  let count = 0;
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (req) => {
    const { socket, response } = Deno.upgradeWebSocket(req);
    const index = count++;
    socket.onopen = () => onSocket(socket, index);
    return response;
  });
  return { url: `ws://127.0.0.1:${server.addr.port}/`, server, connections: () => count };
}

function client(url: string, extra: { prepare?: () => Promise<void> } = {}) {
  const statuses: SocketStatus[] = [];
  const frames: unknown[] = [];
  const stopped = Promise.withResolvers<StopReason>();
  let opened = Promise.withResolvers<void>();
  const firstFrame = Promise.withResolvers<void>();
  let prepared = 0;
  const socket = new ReconnectingSocket({
    url: () => url,
    prepare: extra.prepare ?? (() => {
      prepared++;
      return Promise.resolve();
    }),
    onFrame: (frame) => {
      frames.push(frame);
      firstFrame.resolve();
    },
    onOpen: () => opened.resolve(),
    onStatus: (status) => statuses.push(status),
    onStop: (reason) => stopped.resolve(reason),
    backoff: { baseMs: 5, capMs: 20 },
  });
  return {
    socket,
    statuses,
    frames,
    stopped: stopped.promise,
    prepared: () => prepared,
    firstFrame: firstFrame.promise,
    nextOpen: async () => {
      await opened.promise;
      opened = Promise.withResolvers<void>();
    },
  };
}

Deno.test("ui - a socket reconnects after the server drops it, preparing before each attempt", async () => {
  const { url, server } = serve((socket, index) => {
    if (index === 0) socket.close(1001, "SERVER_SHUTDOWN");
    else socket.send(JSON.stringify({ type: "hello", index }));
  });
  const test = client(url);
  try {
    test.socket.start();
    await test.nextOpen();
    await test.nextOpen();
    await test.firstFrame;
    assert.deepEqual(test.frames, [{ type: "hello", index: 1 }]);
    assert.equal(test.prepared(), 2);
    assert.deepEqual(test.statuses, ["connecting", "open", "waiting", "connecting", "open"]);
    assert.equal(test.socket.send({ type: "ping" }), true);
  } finally {
    test.socket.stop();
    await server.shutdown();
  }
});

Deno.test("ui - a socket stops for good when the user logged out or has too many tabs", async () => {
  for (const reason of ["LOGGED_OUT", "TOO_MANY_CONNECTIONS"]) {
    const { url, server, connections } = serve((socket) => socket.close(1008, reason));
    const test = client(url);
    try {
      test.socket.start();
      assert.equal(await test.stopped, reason === "LOGGED_OUT" ? "logged-out" : "too-many-tabs");
      assert.equal(test.socket.status, "stopped");
      assert.equal(test.socket.send({ type: "ping" }), false);
      assert.equal(connections(), 1);
    } finally {
      test.socket.stop();
      await server.shutdown();
    }
  }
});

Deno.test("ui - a failed registration is retried with backoff, and stop cancels the retries", async () => {
  const { url, server, connections } = serve(() => {});
  let attempts = 0;
  const third = Promise.withResolvers<void>();
  const test = client(url, {
    prepare: () => {
      if (++attempts === 3) third.resolve();
      return Promise.reject(new Error("server unavailable"));
    },
  });
  try {
    test.socket.start();
    await third.promise;
    test.socket.stop();
    const settled = attempts;
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(attempts, settled, "no attempt after stop");
    assert.equal(connections(), 0);
    assert.equal(test.statuses.at(-1), "stopped");
  } finally {
    await server.shutdown();
  }
});

Deno.test("ui - a registration refused for a while is tried again when the server said, not sooner", async () => {
  const { url, server } = serve(() => {});
  const tries: number[] = [];
  const test = client(url, {
    prepare: () => {
      tries.push(Date.now());
      return tries.length === 1 ? Promise.reject(new RetryLater(300)) : Promise.resolve();
    },
  });
  try {
    test.socket.start();
    await test.nextOpen();
    assert.equal(tries.length, 2);
    // The backoff alone would have tried again within 5 ms.
    assert.ok(tries[1] - tries[0] >= 300, `tried again after ${tries[1] - tries[0]} ms`);
    test.socket.stop();
  } finally {
    await server.shutdown();
  }
});

/** A server that takes connections and never answers, as over a network that went away. */
function silent() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  let accepted = Promise.withResolvers<void>();
  (async () => {
    for await (const conn of listener) {
      held.push(conn);
      accepted.resolve();
    }
  })();
  return {
    url: `ws://127.0.0.1:${listener.addr.port}/`,
    connections: () => held.length,
    /** The next connection; fails after 5 s, so that a client that never tries again fails the test. */
    nextAccepted: async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("no new connection within 5 s")), 5000);
      });
      try {
        await Promise.race([accepted.promise, late]);
      } finally {
        clearTimeout(timer);
      }
      accepted = Promise.withResolvers<void>();
    },
    close() {
      for (const conn of held) conn.close();
      listener.close();
    },
  };
}

Deno.test("ui - a socket whose handshake hangs gives it up and tries again", async () => {
  const server = silent();
  const statuses: SocketStatus[] = [];
  const socket = new ReconnectingSocket({
    url: () => server.url,
    prepare: () => Promise.resolve(),
    onFrame: () => {},
    onStatus: (status) => statuses.push(status),
    onStop: () => {},
    backoff: { baseMs: 5, capMs: 20 },
    openTimeoutMs: 50,
  });
  try {
    socket.start();
    await server.nextAccepted();
    await server.nextAccepted();
    assert.deepEqual(statuses.slice(0, 3), ["connecting", "waiting", "connecting"]);
  } finally {
    socket.stop();
    server.close();
  }
});

Deno.test("ui - retrying now gives up an attempt that hangs instead of waiting for it", async () => {
  const server = silent();
  const socket = new ReconnectingSocket({
    url: () => server.url,
    prepare: () => Promise.resolve(),
    onFrame: () => {},
    onStatus: () => {},
    onStop: () => {},
    openTimeoutMs: 60_000,
  });
  try {
    socket.start();
    await server.nextAccepted();
    socket.retryNow();
    await server.nextAccepted();
    assert.equal(server.connections(), 2, "a second attempt, long before the first would time out");
  } finally {
    socket.stop();
    server.close();
  }
});
