import assert from "node:assert/strict";
import { DATABASE_KINDS, TEST_ENV } from "./harness.ts";
import { ServerProcess, taskArgs } from "./server_process.ts";
import { TcpProxy } from "./tcp_proxy.ts";

async function probe(
  env: Record<string, string>,
  { writes = [], runsDeno = false }: { writes?: string[]; runsDeno?: boolean } = {},
): Promise<Record<string, string>> {
  const args = await taskArgs("start", env);
  assert.ok(!args.includes("-A") && !args.includes("--allow-all"), "no blanket permission");
  assert.ok(!args.some((arg) => /^--allow-(ffi|sys)/.test(arg)), args.join(" "));
  const runFlags = args.filter((arg) => arg.startsWith("--allow-run"));
  assert.deepEqual(runFlags, runsDeno ? [`--allow-run=${Deno.execPath()}`] : [], "runs Deno only, and only if asked");
  const writeFlags = args.filter((arg) => arg.startsWith("--allow-write"));
  assert.deepEqual(writeFlags, writes.map((folder) => `--allow-write=${folder}`), "writes only where asked");
  args[args.length - 1] = "tests/fixtures/permission_probe.ts";
  const { stdout, stderr, success } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: new URL("../", import.meta.url).pathname,
    env,
    clearEnv: true,
  }).output();
  assert.ok(success, new TextDecoder().decode(stderr));
  // The last line: the server's own log lines may come before it.
  return JSON.parse(new TextDecoder().decode(stdout).trim().split("\n").at(-1)!);
}

const DENIED = {
  "read /etc/passwd": "denied",
  "list the parent folder": "denied",
  "write in the app": "denied",
  "read HOME": "denied",
  "fetch an arbitrary host": "denied",
  "connect to another local port": "denied",
  "listen on another port": "denied",
  "run a program": "denied",
  "load a native library": "denied",
  "use its database once it listens": "allowed",
  "run Deno once it listens": "denied",
  "run a program once it listens": "denied",
};

Deno.test("permissions - code in the server cannot read outside the app, write, or reach other hosts", async () => {
  const port = String(TcpProxy.freePort());
  const outcomes = await probe({ ...TEST_ENV, PORT: port }, { runsDeno: true });
  assert.deepEqual(outcomes, {
    "read a static file": "allowed",
    "listen on the configured port": "allowed",
    // Until it listens: the embedded database's process starts by then.
    "run Deno": "allowed",
    "database": "process",
    ...DENIED,
  });
});

Deno.test("permissions - with PGLITE_PROCESS=false the server may never start a program", async () => {
  const port = String(TcpProxy.freePort());
  const outcomes = await probe({ ...TEST_ENV, PORT: port, PGLITE_PROCESS: "false" });
  assert.deepEqual(outcomes, {
    "read a static file": "allowed",
    "listen on the configured port": "allowed",
    "run Deno": "denied",
    "database": "inline",
    ...DENIED,
  });
});

Deno.test({
  name: "permissions - with PostgreSQL, the database's address is the one more host allowed",
  ignore: !DATABASE_KINDS.includes("postgres"),
}, async () => {
  const port = String(TcpProxy.freePort());
  const outcomes = await probe({ ...TEST_ENV, PORT: port, DATABASE_URL: Deno.env.get("DATABASE_URL")! });
  assert.deepEqual(outcomes, {
    "read a static file": "allowed",
    "listen on the configured port": "allowed",
    "connect to the database": "allowed",
    "run Deno": "denied",
    "database": "postgres",
    ...DENIED,
  });
});

Deno.test("permissions - with PGLITE_DIR, its folder is the one place the server may write", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "quick-chat-data-" });
  try {
    const port = String(TcpProxy.freePort());
    const outcomes = await probe({ ...TEST_ENV, PORT: port, PGLITE_DIR: dataDir }, {
      writes: [dataDir],
      runsDeno: true,
    });
    assert.deepEqual(outcomes, {
      "read a static file": "allowed",
      "listen on the configured port": "allowed",
      "write in the data folder": "allowed",
      "run Deno": "allowed",
      "database": "process",
      ...DENIED,
    });
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("permissions - the start task keeps the embedded database in PGLITE_DIR across a restart", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "quick-chat-data-" });
  const env = { PGLITE_DIR: dataDir };
  const userId = crypto.randomUUID();
  // Registers the user on a server of its own, started and stopped around the request.
  const registerOnNewServer = async (name: string) => {
    const server = await ServerProcess.start(env);
    try {
      const response = await fetch(new URL("/presence/register", server.url), {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url.origin },
        body: JSON.stringify({ user_id: userId, name }),
      });
      return { status: response.status, body: await response.text() };
    } finally {
      await server.stop();
    }
  };
  try {
    const first = await registerOnNewServer("Ada");
    assert.equal(first.status, 200, first.body);
    // The id stayed bound to Ada: without her token, nobody else can take it.
    const second = await registerOnNewServer("Mallory");
    assert.equal(second.status, 401, second.body);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
