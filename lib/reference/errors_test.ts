import assert from "node:assert/strict";
import { STATUS_TEXT, type StatusCode } from "../fresh/status.ts";
import { walkFiles } from "../fresh/_util.ts";
import { CloseCode } from "../protocol.ts";
import { CLOSES, HTTP_ERRORS } from "./errors.ts";

const root = new URL("../../", import.meta.url);

/** The server's source: every module under lib/ and routes/, and main.ts, without tests and browser code. */
async function serverSources(): Promise<Map<string, string>> {
  const sources = new Map<string, string>([["main.ts", await Deno.readTextFile(new URL("main.ts", root))]]);
  for (const folder of ["lib", "routes"]) {
    for await (const { path, url } of walkFiles(new URL(`${folder}/`, root), new Set(["client", "ui", "reference"]))) {
      if (/\.tsx?$/.test(path) && !/_test\.tsx?$/.test(path)) {
        sources.set(`${folder}/${path}`, await Deno.readTextFile(url));
      }
    }
  }
  return sources;
}

/** The arguments of every call of `callee` in `source`, split at top-level commas. */
function callArguments(source: string, callee: string): string[][] {
  const calls: string[][] = [];
  for (let start = source.indexOf(callee); start !== -1; start = source.indexOf(callee, start + 1)) {
    const args: string[] = [];
    let depth = 0;
    let quote: string | null = null;
    let current = "";
    for (let i = start + callee.length; i < source.length; i++) {
      const char = source[i];
      if (quote) {
        if (char === quote && source[i - 1] !== "\\") quote = null;
      } else if (char === '"' || char === "'" || char === "`") {
        quote = char;
      } else if (char === "(" || char === "{" || char === "[") {
        depth++;
      } else if (char === ")" || char === "}" || char === "]") {
        if (depth-- === 0) break;
      } else if (char === "," && depth === 0) {
        args.push(current.trim());
        current = "";
        continue;
      }
      current += char;
    }
    if (current.trim() !== "") args.push(current.trim());
    calls.push(args);
  }
  return calls;
}

Deno.test("api reference - every close the server makes is documented, and nothing else", async () => {
  const made = new Set<string>();
  for (const [file, source] of await serverSources()) {
    for (const [code, reason] of callArguments(source, ".close(CloseCode.")) {
      assert.match(reason ?? "", /^"[A-Z_]+"$/, `${file}: a close reason is a literal code`);
      made.add(`${CloseCode[code as keyof typeof CloseCode]} ${JSON.parse(reason)}`);
    }
  }
  const documented = new Set(CLOSES.map((close) => `${close.code} ${close.reason}`));
  assert.deepEqual([...made].sort(), [...documented].sort());
});

Deno.test("api reference - every HTTP error the server throws is documented, and nothing else", async () => {
  const thrown = new Set<string>();
  for (const [, source] of await serverSources()) {
    for (const [status, , code] of callArguments(source, "new HttpError(")) {
      const literal = code?.match(/^"([A-Z_]+)"$/)?.[1];
      const byStatus = STATUS_TEXT[Number(status) as StatusCode]?.toUpperCase().replaceAll(" ", "_");
      thrown.add(`${status} ${literal ?? byStatus}`);
    }
  }
  const documented = new Set(HTTP_ERRORS.map((error) => `${error.status} ${error.code}`));
  assert.deepEqual([...thrown].sort(), [...documented].sort());
});
