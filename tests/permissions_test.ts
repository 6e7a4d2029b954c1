import assert from "node:assert/strict";
import { DATABASE_KINDS, TEST_ENV } from "./harness.ts";
import { taskArgs } from "./server_process.ts";
import { TcpProxy } from "./tcp_proxy.ts";

async function probe(env: Record<string, string>): Promise<Record<string, string>> {
  const args = await taskArgs("start", env);
  assert.ok(!args.includes("-A") && !args.includes("--allow-all"), "no blanket permission");
  assert.ok(!args.some((arg) => /^--allow-(run|ffi|sys|write)/.test(arg)), args.join(" "));
  args[args.length - 1] = "tests/fixtures/permission_probe.ts";
  const { stdout, stderr, success } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: new URL("../", import.meta.url).pathname,
    env,
    clearEnv: true,
  }).output();
  assert.ok(success, new TextDecoder().decode(stderr));
  return JSON.parse(new TextDecoder().decode(stdout));
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
};

Deno.test("permissions - code in the server cannot read outside the app, write, or reach other hosts", async () => {
  const port = String(TcpProxy.freePort());
  const outcomes = await probe({ ...TEST_ENV, PORT: port });
  assert.deepEqual(outcomes, {
    "read a static file": "allowed",
    "listen on the configured port": "allowed",
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
    ...DENIED,
  });
});
