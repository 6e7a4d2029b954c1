/**
 * Several real server processes on one PostgreSQL, behaving as one service.
 * These run only when `DATABASE_URL` points at a PostgreSQL server.
 */
import assert from "node:assert/strict";
import { DATABASE_KINDS, freshDatabase, sharedDatabase, TEST_ENV } from "./harness.ts";
import { ServerProcess, taskArgs } from "./server_process.ts";
import { TestSocket } from "./ws_client.ts";

const POSTGRES_URL = Deno.env.get("DATABASE_URL");

interface Member {
  process: ServerProcess;
  register(name: string): Promise<{ userId: string; token: string }>;
  /** Registers an existing id again, with its token when given; resolves with the status. */
  registerAgain(userId: string, name: string, token?: string): Promise<number>;
  chat(user: { userId: string; token: string }): Promise<TestSocket>;
  presence(user: { userId: string; token: string }): Promise<TestSocket>;
}

function member(process: ServerProcess): Member {
  const ws = (path: string) => new URL(path, process.url).href.replace(/^http/, "ws");
  return {
    process,
    async register(name) {
      const userId = crypto.randomUUID();
      const response = await postRegister(process, userId, name);
      assert.equal(response.status, 200);
      return { userId, token: (await response.json()).token };
    },
    async registerAgain(userId, name, token) {
      const response = await postRegister(process, userId, name, token);
      await response.body?.cancel();
      return response.status;
    },
    async chat(user) {
      const socket = new TestSocket(ws(`/ws/chat?me=${user.userId}&token=${user.token}`));
      await socket.opened;
      return socket;
    },
    async presence(user) {
      // The snapshot stays unread: tests look for users in it and in later diffs alike.
      const socket = new TestSocket(ws(`/presence/ws?user_id=${user.userId}&token=${user.token}&mode=diff`));
      await socket.opened;
      return socket;
    },
  };
}

function postRegister(process: ServerProcess, userId: string, name: string, token?: string): Promise<Response> {
  return fetch(new URL("/presence/register", process.url), {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { cookie: `qc_token=${token}` } : {}) },
    body: JSON.stringify({ user_id: userId, name }),
  });
}

type Diff = { type: "presence_diff"; joins: { user_id: string; name: string }[]; leaves: string[] };
const joined = (id: string) => (f: Record<string, unknown>) =>
  (f.type === "presence_diff" && (f as Diff).joins.some((j) => j.user_id === id)) ||
  (f.type === "presence" && (f.users as { user_id: string }[]).some((u) => u.user_id === id));
const left = (id: string) => (f: Record<string, unknown>) =>
  (f.type === "presence_diff" && (f as Diff).leaves.includes(id)) ||
  (f.type === "presence" && !(f.users as { user_id: string }[]).some((u) => u.user_id === id));

/** Runs `fn` with two server processes on the PostgreSQL of `DATABASE_URL`, stopped after. */
function clusterTest(name: string, fn: (a: Member, b: Member) => Promise<void>, extraEnv: Record<string, string> = {}) {
  Deno.test({
    name,
    ignore: !DATABASE_KINDS.includes("postgres"),
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      await freshDatabase("postgres");
      const env = { DATABASE_URL: POSTGRES_URL!, SESSION_SECRET: "cluster-test-secret-of-32-characters!", ...extraEnv };
      const [a, b] = await Promise.all([ServerProcess.start(env), ServerProcess.start(env)]);
      try {
        await fn(member(a), member(b));
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    },
  });
}

/** Polls `/health` until it answers 200: from outside, there is no event to wait for. */
async function waitForHealth(base: URL, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const status = await fetch(new URL("/health", base)).then(
      (response) => response.body?.cancel().then(() => response.status),
      () => 0,
    );
    if (status === 200) return;
    assert.ok(Date.now() < deadline, `${base} did not become healthy within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Polls `/health` over a new connection each time until `count` different
 * instances have answered: `deno serve --parallel` starts its workers one by
 * one, and the kernel only hands connections to those already listening.
 */
async function waitForInstances(base: URL, count: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const seen = new Set<string>();
  while (true) {
    const client = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
    try {
      const init: RequestInit & { client: Deno.HttpClient } = { client };
      const response = await fetch(new URL("/health", base), init);
      const body = await response.json();
      if (response.status === 200) seen.add(body.instance_id);
    } catch {
      // Not listening yet.
    } finally {
      client.close();
    }
    if (seen.size === count) return;
    assert.ok(Date.now() < deadline, `${base} answered from ${seen.size} of ${count} instances within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Sends DMs from `from` to `to` until one arrives: the way to tell that a recovering route works again. */
async function deliverEventually(from: TestSocket, to: TestSocket, toId: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    const id = `probe-${attempt}-${crypto.randomUUID()}`;
    from.send({ type: "dm", to: toId, text: "are you there?", id });
    try {
      return await to.next((f) => f.type === "dm" && f.id === id, 500);
    } catch {
      // Not yet: the route is still recovering.
    }
  }
  throw new Error(`No DM got through within ${timeoutMs} ms`);
}

clusterTest("cluster - the roster is shared and DMs cross instances both ways with echo", async (a, b) => {
  const ada = await a.register("Ada");
  const bob = await b.register("Bob");
  const adaWatch = await a.presence(ada);
  const bobWatch = await b.presence(bob);
  await adaWatch.next(joined(bob.userId));
  await bobWatch.next(joined(ada.userId));
  const adaChat = await a.chat(ada);
  const bobChat = await b.chat(bob);
  const bobTab2 = await a.chat(bob);
  const delivered = await deliverEventually(adaChat, bobChat, bob.userId);
  assert.equal(delivered.from, ada.userId);
  assert.deepEqual(await adaChat.next((f) => f.type === "dm" && f.id === delivered.id), delivered);
  assert.deepEqual(await bobTab2.next((f) => f.type === "dm" && f.id === delivered.id), delivered);
  bobChat.send({ type: "dm", to: ada.userId, text: "back at you", id: "reply" });
  assert.equal((await adaChat.next((f) => f.id === "reply")).text, "back at you");
  assert.equal((await bobChat.next((f) => f.id === "reply")).from, bob.userId, "echo on the sender's instance");
  assert.equal((await bobTab2.next((f) => f.id === "reply")).to, ada.userId, "echo on the sender's other instance");
  bobChat.send({ type: "typing", to: ada.userId, state: "start" });
  assert.equal((await adaChat.next((f) => f.type === "typing")).from, bob.userId);
  // A burst crosses in order and whole: line breaks and long multi-byte texts included.
  const texts = Array.from({ length: 30 }, (_, i) => i % 10 === 3 ? "é".repeat(2000) : `line ${i}\nand more`);
  texts.forEach((text, i) => adaChat.send({ type: "dm", to: bob.userId, text, id: `burst-${i}` }));
  const arrived = await Promise.all(texts.map((_, i) => bobChat.next((f) => f.id === `burst-${i}`)));
  assert.deepEqual(arrived.map((f) => f.text), texts);
  const burstOrder = bobChat.all("dm").map((f) => f.id).filter((id) => String(id).startsWith("burst-"));
  assert.deepEqual(burstOrder, texts.map((_, i) => `burst-${i}`));
  await Promise.all([adaWatch, bobWatch, adaChat, bobChat, bobTab2].map((s) => s.close()));
});

clusterTest(
  "cluster - a rename reaches the other instance's roster; a refused registration reaches nobody",
  async (a, b) => {
    const ada = await a.register("Ada");
    const bob = await b.register("Bob");
    const bobWatch = await b.presence(bob);
    await bobWatch.next(joined(ada.userId));
    const listedAs = (name: string) => (f: Record<string, unknown>) =>
      (f.type === "presence_diff" && (f as Diff).joins.some((j) => j.user_id === ada.userId && j.name === name)) ||
      (f.type === "presence" && (f.users as { user_id: string; name: string }[])
        .some((u) => u.user_id === ada.userId && u.name === name));

    assert.equal(await a.registerAgain(ada.userId, "Mallory"), 401, "Ada's id without her token");
    // Announcements arrive in commit order, so one from the refusal would come no later than Cy's join.
    const cy = await a.register("Cy");
    await bobWatch.next(joined(cy.userId));
    const seen = () => [...bobWatch.all("presence_diff"), ...bobWatch.all("presence")];
    assert.equal(seen().filter(listedAs("Mallory")).length, 0);

    assert.equal(await a.registerAgain(ada.userId, "Countess Ada", ada.token), 200);
    await bobWatch.next(listedAs("Countess Ada"));
    await bobWatch.close();
  },
);

clusterTest("cluster - PEER_OFFLINE means offline on every instance", async (a, b) => {
  const ada = await a.register("Ada");
  const carol = await b.register("Carol");
  const carolWatch = await b.presence(carol);
  const adaChat = await a.chat(ada);
  for (const to of [carol.userId, crypto.randomUUID()]) {
    adaChat.send({ type: "dm", to, text: "hello?" });
    assert.equal((await adaChat.next((f) => f.type === "error")).code, "PEER_OFFLINE");
  }
  const carolChat = await b.chat(carol);
  const delivered = await deliverEventually(adaChat, carolChat, carol.userId, 5000);
  assert.equal(delivered.to, carol.userId);
  await carolChat.close();
  adaChat.send({ type: "dm", to: carol.userId, text: "gone?", id: "after-close" });
  await adaChat.next((f) => (f.type === "error" && f.code === "PEER_OFFLINE") || f.id === "after-close");
  await Promise.all([carolWatch.close(), adaChat.close()]);
});

clusterTest(
  "cluster - a DM to someone whose last socket just closed is refused on every instance, not lost",
  async (a, b) => {
    const ada = await a.register("Ada");
    const carol = await b.register("Carol");
    const adaChat = await a.chat(ada);
    const carolChat = await b.chat(carol);
    await deliverEventually(adaChat, carolChat, carol.userId, 5000);
    // Carol reloads her page, say: her only socket closes, and she stays listed for the 5 s grace period.
    await carolChat.close();
    const closedAt = Date.now();
    // Ada's DMs go nowhere now: each is refused, none echoed as if it were delivered.
    for (let attempt = 0;; attempt++) {
      const id = `after-close-${attempt}`;
      adaChat.send({ type: "dm", to: carol.userId, text: "still there?", id });
      const answer = await adaChat.next((f) => f.id === id);
      if (answer.type === "error") {
        assert.equal(answer.code, "PEER_OFFLINE");
        break;
      }
      assert.ok(Date.now() - closedAt < 2000, "refused well within the grace period, not echoed until it ends");
    }
    await adaChat.close();
  },
  // Ada's attempts follow each other as fast as they are answered: no rate limit gets in the way.
  { PRESENCE_GRACE_MS: "5000", RATE_LIMIT_PER_SEC: "100000", RATE_LIMIT_BURST: "100000" },
);

clusterTest("cluster - a killed instance's users leave the others' roster", async (a, b) => {
  const ada = await a.register("Ada");
  const bob = await b.register("Bob");
  const adaWatch = await a.presence(ada);
  const bobChat = await b.chat(bob);
  await adaWatch.next(joined(bob.userId));
  const killedAt = Date.now();
  await b.process.stop("SIGKILL");
  await adaWatch.next(left(bob.userId), 30_000);
  const seconds = (Date.now() - killedAt) / 1000;
  // Heartbeat 200 ms and time-to-live 600 ms in tests; the defaults (5 s, 15 s) give at most ~20 s.
  assert.ok(seconds < 5, `left after ${seconds} s`);
  const adaChat = await a.chat(ada);
  adaChat.send({ type: "dm", to: bob.userId, text: "still there?" });
  assert.equal((await adaChat.next((f) => f.type === "error")).code, "PEER_OFFLINE");
  await Promise.all([adaWatch.close(), adaChat.close(), bobChat.closed]);
});

clusterTest("cluster - SIGTERM closes sockets with 1001 and announces the leaves at once", async (a, b) => {
  const ada = await a.register("Ada");
  const bob = await b.register("Bob");
  const adaWatch = await a.presence(ada);
  const bobChat = await b.chat(bob);
  const bobWatch = await b.presence(bob);
  await adaWatch.next(joined(bob.userId));
  const status = await b.process.stop("SIGTERM");
  assert.equal(status.code, 0);
  assert.deepEqual(await bobChat.closed, { code: 1001, reason: "SERVER_SHUTDOWN" });
  assert.equal((await bobWatch.closed).code, 1001);
  await adaWatch.next(left(bob.userId), 2000);
  await adaWatch.close();
});

clusterTest("cluster - after its database connections are terminated, an instance recovers", async (a, b) => {
  const ada = await a.register("Ada");
  const bob = await b.register("Bob");
  const adaWatch = await a.presence(ada);
  const adaChat = await a.chat(ada);
  const bobChat = await b.chat(bob);
  await deliverEventually(adaChat, bobChat, bob.userId);
  const db = await sharedDatabase("postgres");
  await db.query(
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'quick-chat' AND pid <> pg_backend_pid()",
  );
  // Notifications sent while the listeners were away are lost; the instances re-read the tables.
  const carol = await b.register("Carol");
  const carolChat = await b.chat(carol);
  await adaWatch.next(joined(carol.userId), 15_000);
  await deliverEventually(adaChat, bobChat, bob.userId);
  await deliverEventually(bobChat, adaChat, ada.userId);
  await Promise.all([adaWatch, adaChat, bobChat, carolChat].map((s) => s.close()));
});

clusterTest("cluster - both instances survive a PostgreSQL restart and serve again", async (a, b) => {
  const ada = await a.register("Ada");
  const bob = await b.register("Bob");
  const adaChat = await a.chat(ada);
  const bobChat = await b.chat(bob);
  await deliverEventually(adaChat, bobChat, bob.userId);
  const version = [...Deno.readDirSync("/etc/postgresql")].map((e) => e.name).sort().at(-1)!;
  const restart = await new Deno.Command("pg_ctlcluster", {
    args: ["--skip-systemctl-redirect", version, "main", "restart"],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.ok(restart.success, new TextDecoder().decode(restart.stderr));
  for (const process of [a.process, b.process]) await waitForHealth(process.url);
  await deliverEventually(adaChat, bobChat, bob.userId);
  await deliverEventually(bobChat, adaChat, ada.userId);
  const carol = await a.register("Carol");
  const carolWatch = await b.presence(carol);
  await carolWatch.next(joined(carol.userId));
  await Promise.all([adaChat, bobChat, carolWatch].map((s) => s.close()));
});

Deno.test({
  name: "cluster - `deno task serve` runs one instance per worker, and they behave as one",
  ignore: !DATABASE_KINDS.includes("postgres"),
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  await freshDatabase("postgres");
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const env = { ...TEST_ENV, PORT: String(port), DATABASE_URL: POSTGRES_URL! };
  const args = await taskArgs("serve", env);
  args.splice(args.indexOf("--port"), 2, "--port", String(port), "--host", "127.0.0.1");
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: new URL("../", import.meta.url).pathname,
    // Two workers whatever the core count.
    env: { ...env, DENO_JOBS: "2" },
    clearEnv: true,
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    const base = new URL(`http://127.0.0.1:${port}`);
    await waitForInstances(base, 2);
    const process = { url: base } as ServerProcess;
    const cluster = member(process);
    const users = [];
    const sockets: TestSocket[] = [];
    const db = await sharedDatabase("postgres");
    const instancesHolding = async () => {
      const [{ instances }] = await db.query<{ instances: number }>(
        "SELECT count(DISTINCT instance_id)::int AS instances FROM connections",
      );
      return instances;
    };
    // The kernel spreads new connections over the workers, and each worker
    // writes its connection rows a moment after the socket opens: a dozen
    // sockets, and a few more while only one worker's rows are in, reach both.
    for (let i = 0; i < 12 || await instancesHolding() < 2; i++) {
      assert.ok(i < 60, `${i} sockets, and their rows name only one worker's instance`);
      const user = await cluster.register(`User ${i}`);
      users.push(user);
      sockets.push(await cluster.chat(user));
    }
    for (let i = 1; i < users.length; i++) {
      const delivered = await deliverEventually(sockets[0], sockets[i], users[i].userId, 5000);
      assert.equal(delivered.from, users[0].userId);
    }
    await Promise.all(sockets.map((socket) => socket.close()));
  } finally {
    child.kill("SIGTERM");
    await child.status;
  }
});
