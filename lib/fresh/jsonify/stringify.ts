import { Signal } from "@preact/signals";
import { Special } from "./constants.ts";

/**
 * Serializes island props to JSON that {@link parse} revives: JSON values
 * plus `undefined`, `NaN`, `±Infinity`, `-0`, `BigInt`, `Date`, `URL`, `Map`,
 * `Set` and signals. Shared references stay shared (two islands given one
 * signal share it in the browser) and cycles are kept.
 *
 * The output is a flat array: element 0 is the root reference, every other
 * element a value whose children are references (indices) into the array.
 * `<`, `>`, `&` and line separators are escaped so the text is safe inside a
 * `<script>` element.
 *
 * @example
 * ```ts
 * stringify({ when: new Date(0) }); // '[1,{"when":2},["Date",0]]'
 * ```
 */
export function stringify(value: unknown): string {
  const table: unknown[] = [0];
  const seen = new Map<object, number>();

  function reference(value: unknown): number {
    switch (typeof value) {
      case "undefined":
        return Special.Undefined;
      case "string":
      case "boolean":
        return table.push(value) - 1;
      case "number":
        if (Number.isNaN(value)) return Special.NaN;
        if (value === Infinity) return Special.Infinity;
        if (value === -Infinity) return Special.NegativeInfinity;
        if (Object.is(value, -0)) return Special.NegativeZero;
        return table.push(value) - 1;
      case "bigint":
        return table.push(["BigInt", value.toString()]) - 1;
      case "object":
        if (value === null) return Special.Null;
        return referenceObject(value);
      default:
        throw new Error(`Cannot serialize a ${typeof value} as an island prop; pass data, not code`);
    }
  }

  function referenceObject(value: object): number {
    const known = seen.get(value);
    if (known !== undefined) return known;
    const index = table.push(null) - 1;
    seen.set(value, index);
    table[index] = encodeObject(value);
    return index;
  }

  function encodeObject(value: object): unknown {
    if (Array.isArray(value)) {
      return Array.from(value, (item) => reference(item));
    }
    if (value instanceof Signal) return ["Signal", reference(value.peek())];
    if (value instanceof Date) return ["Date", value.getTime()];
    if (value instanceof URL) return ["URL", value.href];
    if (value instanceof Map) {
      return ["Map", [...value].flatMap(([key, item]) => [reference(key), reference(item)])];
    }
    if (value instanceof Set) return ["Set", [...value].map((item) => reference(item))];
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      const name = prototype?.constructor?.name ?? "unknown";
      throw new Error(`Cannot serialize an instance of "${name}" as an island prop; pass plain data`);
    }
    const encoded: Record<string, number> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(encoded, key, { value: reference(item), enumerable: true, writable: true });
    }
    return encoded;
  }

  table[0] = reference(value);
  return JSON.stringify(table).replace(/[<>&\u2028\u2029]/g, escapeForScript);
}

function escapeForScript(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}
