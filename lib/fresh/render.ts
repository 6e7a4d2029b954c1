import { type ComponentType, Fragment, h, options, type VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { ISLAND_END, ISLAND_START, STATE_SCRIPT_ID } from "./constants.ts";
import type { AppProps, PageProps } from "./context.ts";
import { type Island, islandsByComponent } from "./islands.ts";
import { stringify } from "./jsonify/stringify.ts";

/** What the browser needs to load islands: the URL of each built module. */
export interface ClientModules {
  /** URL of the boot module. */
  boot: string;
  /** URL of each island file's module, by manifest key (`./islands/X.tsx`). */
  islands: Record<string, string>;
}

interface RenderState {
  props: unknown[];
  used: Map<string, Island>;
  /** Island vnodes being rendered; islands inside islands get no markers. */
  depth: number;
  inner: WeakSet<VNode>;
}

/** The render in progress; set only during a synchronous `renderToString`. */
let current: RenderState | null = null;

// Preact's mangled hook names: `__b` runs before a vnode is diffed.
type Hooks = typeof options & {
  __b?: (vnode: VNode) => void;
  diffed?: (vnode: VNode) => void;
};
const hooks = options as Hooks;
const previousDiff = hooks.__b;
const previousDiffed = hooks.diffed;

hooks.__b = (vnode) => {
  const state = current;
  if (state !== null && typeof vnode.type === "function") {
    const island = islandsByComponent.get(vnode.type as ComponentType);
    if (island !== undefined) {
      if (state.depth === 0 && !state.inner.has(vnode)) {
        vnode.props = { island, props: vnode.props } as unknown as typeof vnode.props;
        vnode.type = IslandMarkers as ComponentType;
      } else {
        state.depth++;
      }
    }
  }
  previousDiff?.(vnode);
};

hooks.diffed = (vnode) => {
  const state = current;
  if (state !== null && typeof vnode.type === "function" && islandsByComponent.has(vnode.type as ComponentType)) {
    state.depth--;
  }
  previousDiffed?.(vnode);
};

function IslandMarkers({ island, props }: { island: Island; props: Record<string, unknown> }) {
  const state = current!;
  if (props.children !== undefined) {
    throw new Error(`Island "${island.name}" was given children; islands take serializable props only`);
  }
  const index = state.props.push(props) - 1;
  state.used.set(island.name, island);
  const inner = h(island.component, props);
  state.inner.add(inner);
  return h(Fragment, null, comment(`${ISLAND_START}${island.name}:${index}`), inner, comment(ISLAND_END));
}

/** A comment node, which preact-render-to-string writes for this Fragment prop. */
function comment(text: string): VNode {
  return h(Fragment, { UNSTABLE_comment: text } as Record<string, unknown>);
}

/** Everything needed to render one page to a complete HTML document. */
export interface PageRender {
  app: ComponentType<AppProps> | null;
  page: ComponentType<PageProps>;
  props: PageProps;
  /** Nonce of the boot script, matching the page's Content-Security-Policy. */
  nonce: string;
  client: ClientModules | null;
}

/**
 * Renders a page inside `_app` to HTML. Islands used by the page are wrapped
 * in comment markers, their props serialized once into a JSON script, and a
 * nonce'd module script boots them; a page without islands ships no script.
 *
 * @example
 * ```ts
 * const html = renderPage({ app: null, page: Home, props, nonce, client });
 * ```
 */
export function renderPage({ app, page, props, nonce, client }: PageRender): string {
  if (current !== null) throw new Error("Pages cannot be rendered inside another page's render");
  const state: RenderState = { props: [], used: new Map(), depth: 0, inner: new WeakSet() };
  let body: string;
  current = state;
  try {
    const Page = () => h(page, props);
    const root = app ? h(app, { ...props, Component: Page }) : h(Page, {});
    body = renderToString(root as VNode);
  } finally {
    current = null;
  }
  const html = body.startsWith("<html") ? `<!DOCTYPE html>${body}` : body;
  if (state.used.size === 0) return html;
  return insertBeforeBodyEnd(html, islandScripts(state, nonce, client));
}

function islandScripts(state: RenderState, nonce: string, client: ClientModules | null): string {
  if (client === null) {
    throw new Error("The page uses islands but no client build is loaded; run `deno task build`");
  }
  const imports: string[] = [`import{boot}from${JSON.stringify(client.boot)};`];
  const bindings: string[] = [];
  for (const island of state.used.values()) {
    const url = client.islands[island.file];
    if (url === undefined) {
      throw new Error(`Island "${island.name}" is missing from the client build; run \`deno task build\``);
    }
    const binding = island.exportName === "default" ? island.name : `{${island.exportName} as ${island.name}}`;
    imports.push(`import ${binding} from${JSON.stringify(url)};`);
    bindings.push(island.name);
  }
  const boot = `${imports.join("")}boot({${
    bindings.join(",")
  }},document.getElementById("${STATE_SCRIPT_ID}").textContent);`;
  return `<script id="${STATE_SCRIPT_ID}" type="application/json">${stringify(state.props)}</script>` +
    `<script type="module" nonce="${nonce}">${boot}</script>`;
}

function insertBeforeBodyEnd(html: string, insertion: string): string {
  const end = html.lastIndexOf("</body>");
  return end === -1 ? html + insertion : html.slice(0, end) + insertion + html.slice(end);
}
