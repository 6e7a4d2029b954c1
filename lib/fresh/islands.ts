import type { ComponentType } from "preact";
import type { IslandModule } from "./context.ts";

/** One exported component of a file under `islands/`. */
export interface Island {
  /** Unique name, used in markers and as the import binding in the browser. */
  name: string;
  /** The manifest key of the island's file, such as `./islands/Counter.tsx`. */
  file: string;
  /** The export that holds the component. */
  exportName: string;
  component: ComponentType;
}

/**
 * The islands of the app, found by component. Process-wide on purpose: the
 * render hooks must recognise an island wherever a page uses it.
 */
export const islandsByComponent = new Map<ComponentType, Island>();

/**
 * Registers every exported component of an island file. The default export is
 * named after the file (`Counter.tsx` → `Counter`), others `File_export`.
 *
 * @example
 * ```ts
 * registerIslands("./islands/Counter.tsx", await import("./islands/Counter.tsx"));
 * ```
 */
export function registerIslands(file: string, module: IslandModule): Island[] {
  const base = file.split("/").at(-1)!.replace(/\.[jt]sx?$/, "");
  const fileName = base.replace(/[^A-Za-z0-9_$]/g, "_");
  const added: Island[] = [];
  for (const [exportName, value] of Object.entries(module)) {
    if (typeof value !== "function") continue;
    const name = exportName === "default" ? fileName : `${fileName}_${exportName}`;
    const known = islandsByComponent.get(value as ComponentType);
    if (known) {
      added.push(known);
      continue;
    }
    for (const island of islandsByComponent.values()) {
      if (island.name === name) {
        throw new Error(`Two islands are named "${name}" ("${island.file}" and "${file}"); rename one file`);
      }
    }
    const island = { name, file, exportName, component: value as ComponentType };
    islandsByComponent.set(island.component, island);
    added.push(island);
  }
  return added;
}
