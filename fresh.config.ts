/**
 * The app's configuration, read from the environment in this one place and
 * validated with zod, so a bad value stops start-up with a clear message.
 */
import { z } from "zod";

const port = z.coerce.number().int().min(0).max(65535);

const schema = z.object({
  PORT: port.default(8000),
  HOST: z.string().min(1).default("0.0.0.0"),
});

/** The variables the app reads; `--allow-env` lists exactly these. */
export const ENV_VARS = Object.keys(schema.shape) as (keyof typeof schema.shape)[];

/** The parsed configuration. */
export interface Config {
  port: number;
  host: string;
}

/**
 * Reads and validates the configuration; throws a readable error listing every
 * bad variable.
 *
 * @example
 * ```ts
 * const config = loadConfig({ PORT: "8080" });
 * ```
 */
export function loadConfig(env: Record<string, string | undefined> = readEnv()): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${problems.join("\n")}`);
  }
  const values = parsed.data;
  return { port: values.PORT, host: values.HOST };
}

function readEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const name of ENV_VARS) {
    const value = Deno.env.get(name);
    if (value !== undefined && value !== "") env[name] = value;
  }
  return env;
}
