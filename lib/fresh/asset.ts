import type { BuildOutput } from "./build_output.ts";

/** The built stylesheets' hashed URLs, set once when the app loads its build. */
let builtCss: Record<string, string> = {};

/** Makes {@link asset} resolve to the given build's hashed URLs. */
export function setAssetBuild(build: BuildOutput | null): void {
  builtCss = build?.manifest.css ?? {};
}

/**
 * The URL to reference a `static/` file by: the content-hashed, immutable URL
 * for built stylesheets, the path itself otherwise.
 *
 * @example
 * ```tsx
 * <link rel="stylesheet" href={asset("/styles.css")} />
 * ```
 */
export function asset(path: string): string {
  return builtCss[path] ?? path;
}
