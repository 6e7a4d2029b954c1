import { type ComponentType, h, hydrate } from "preact";
import { signal } from "@preact/signals";
import { ISLAND_END, ISLAND_START } from "../constants.ts";
import { parse } from "../jsonify/parse.ts";
import { createRootFragment } from "./root_fragment.ts";

interface Found {
  name: string;
  props: Record<string, unknown>;
  start: Comment;
  end: Comment;
}

/**
 * Hydrates every island the server marked in the page. Called by the page's
 * boot script with the island components it imported and the serialized props.
 */
export function boot(islands: Record<string, ComponentType>, serializedProps: string): void {
  const props = parse(serializedProps, { Signal: signal }) as Record<string, unknown>[];
  for (const { name, props: islandProps, start, end } of findIslands(props)) {
    const component = islands[name];
    if (component === undefined) throw new Error(`Encountered unknown island: "${name}"`);
    hydrate(h(component, islandProps), createRootFragment(start, end));
  }
}

function findIslands(props: Record<string, unknown>[]): Found[] {
  const found: Found[] = [];
  const open: Omit<Found, "end">[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_COMMENT);
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    const comment = node as Comment;
    if (comment.data.startsWith(ISLAND_START)) {
      const [name, index] = comment.data.slice(ISLAND_START.length).split(":");
      open.push({ name, props: props[Number(index)], start: comment });
    } else if (comment.data === ISLAND_END) {
      const island = open.pop();
      if (island !== undefined) found.push({ ...island, end: comment });
    }
  }
  return found;
}
