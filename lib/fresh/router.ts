const enum SegmentKind {
  Static,
  Param,
  Rest,
}

type Segment =
  | { kind: SegmentKind.Static; value: string }
  | { kind: SegmentKind.Param | SegmentKind.Rest; name: string };

interface Entry<T> {
  pattern: string;
  segments: Segment[];
  value: T;
}

/** A matched route with the values of its dynamic segments. */
export interface RouteMatch<T> {
  value: T;
  pattern: string;
  params: Record<string, string>;
}

/**
 * Turns a file's path under `routes/` into a URL pattern: `index` is the
 * folder itself, `[id]` a segment parameter, `[...rest]` the rest of the path,
 * and `(group)` folders add nothing to the URL.
 *
 * @example
 * ```ts
 * pathToPattern("blog/[slug].tsx"); // "/blog/:slug"
 * ```
 */
export function pathToPattern(file: string): string {
  const parts = file.replace(/\.(tsx?|jsx?)$/, "").split("/")
    .filter((part) => part !== "" && !/^\(.+\)$/.test(part));
  if (parts.at(-1) === "index") parts.pop();
  const segments = parts.map((part) => {
    const rest = /^\[\.\.\.([A-Za-z_][\w]*)\]$/.exec(part);
    if (rest) return `:${rest[1]}*`;
    const param = /^\[([A-Za-z_][\w]*)\]$/.exec(part);
    if (param) return `:${param[1]}`;
    if (/[[\]]/.test(part)) {
      throw new Error(`Route file "${file}" has a malformed segment "${part}"; use "[name]" or "[...name]"`);
    }
    return part;
  });
  return "/" + segments.join("/");
}

function parsePattern(pattern: string): Segment[] {
  return pattern.split("/").filter((part) => part !== "").map((part) => {
    if (part.startsWith(":") && part.endsWith("*")) {
      return { kind: SegmentKind.Rest, name: part.slice(1, -1) };
    }
    if (part.startsWith(":")) return { kind: SegmentKind.Param, name: part.slice(1) };
    return { kind: SegmentKind.Static, value: part };
  });
}

/** Static segments win over parameters, parameters over a rest segment. */
function compareSpecificity(a: Segment[], b: Segment[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === undefined) return 1;
    if (b[i] === undefined) return -1;
    if (a[i].kind !== b[i].kind) return a[i].kind - b[i].kind;
  }
  return 0;
}

/**
 * Matches URL paths against route patterns, most specific pattern first.
 *
 * @example
 * ```ts
 * const router = new Router<string>();
 * router.add("/users/:id", "user");
 * router.match("/users/42"); // { value: "user", params: { id: "42" }, ... }
 * ```
 */
export class Router<T> {
  #exact = new Map<string, Entry<T>>();
  #dynamic: Entry<T>[] = [];

  /** Adds a pattern; a second route with the same pattern is a mistake. */
  add(pattern: string, value: T): void {
    const segments = parsePattern(pattern);
    const normalized = "/" + pattern.split("/").filter((p) => p !== "").join("/");
    const entry = { pattern: normalized, segments, value };
    const taken = this.#exact.has(normalized) ||
      this.#dynamic.some((other) => other.pattern === normalized);
    if (taken) throw new Error(`Two routes share the pattern "${normalized}"`);
    if (segments.every((segment) => segment.kind === SegmentKind.Static)) {
      this.#exact.set(normalized, entry);
    } else {
      this.#dynamic.push(entry);
      this.#dynamic.sort((a, b) => compareSpecificity(a.segments, b.segments));
    }
  }

  /** Finds the route for a URL path, or `null`. */
  match(pathname: string): RouteMatch<T> | null {
    const trimmed = pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
    const exact = this.#exact.get(trimmed);
    if (exact) return { value: exact.value, pattern: exact.pattern, params: {} };
    const parts = trimmed.split("/").filter((part) => part !== "");
    for (const entry of this.#dynamic) {
      const params = matchSegments(entry.segments, parts);
      if (params) return { value: entry.value, pattern: entry.pattern, params };
    }
    return null;
  }
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment.kind === SegmentKind.Rest) {
      params[segment.name] = parts.slice(i).map(safeDecode).join("/");
      return params;
    }
    const part = parts[i];
    if (part === undefined) return null;
    if (segment.kind === SegmentKind.Static) {
      if (segment.value !== part) return null;
    } else {
      params[segment.name] = safeDecode(part);
    }
  }
  return segments.length === parts.length ? params : null;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
