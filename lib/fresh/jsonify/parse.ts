import { Special } from "./constants.ts";

/** Builders for tagged values that the caller's environment provides. */
export interface Revivers {
  /** Makes a signal holding `value` (in the browser, `signal` from preact). */
  Signal?: (value: unknown) => unknown;
}

/**
 * Revives the output of {@link stringify}.
 *
 * @example
 * ```ts
 * parse('[1,{"when":2},["Date",0]]'); // { when: new Date(0) }
 * ```
 */
export function parse(text: string, revivers: Revivers = {}): unknown {
  const table: unknown[] = JSON.parse(text);
  if (!Array.isArray(table) || typeof table[0] !== "number") {
    throw new Error("Serialized island props are malformed: expected an array starting with a reference");
  }
  const revived = new Map<number, unknown>();

  function revive(ref: number): unknown {
    if (ref < 0) return special(ref);
    if (revived.has(ref)) return revived.get(ref);
    const entry = table[ref];
    if (entry === null || typeof entry !== "object") {
      revived.set(ref, entry);
      return entry;
    }
    if (Array.isArray(entry) && typeof entry[0] === "string") return reviveTagged(ref, entry);
    if (Array.isArray(entry)) {
      const array: unknown[] = [];
      revived.set(ref, array);
      for (const item of entry) array.push(revive(item));
      return array;
    }
    const object: Record<string, unknown> = {};
    revived.set(ref, object);
    for (const [key, item] of Object.entries(entry as Record<string, number>)) {
      Object.defineProperty(object, key, {
        value: revive(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return object;
  }

  function reviveTagged(ref: number, [tag, payload]: unknown[]): unknown {
    switch (tag) {
      case "Date":
        return keep(ref, new Date(payload as number));
      case "URL":
        return keep(ref, new URL(payload as string));
      case "BigInt":
        return keep(ref, BigInt(payload as string));
      case "Signal": {
        const value = revive(payload as number);
        return keep(ref, revivers.Signal ? revivers.Signal(value) : value);
      }
      case "Set": {
        const set = keep(ref, new Set());
        for (const item of payload as number[]) set.add(revive(item));
        return set;
      }
      case "Map": {
        const map = keep(ref, new Map());
        const pairs = payload as number[];
        for (let i = 0; i < pairs.length; i += 2) map.set(revive(pairs[i]), revive(pairs[i + 1]));
        return map;
      }
      default:
        throw new Error(`Serialized island props hold an unknown tag "${tag}"`);
    }
  }

  function keep<T>(ref: number, value: T): T {
    revived.set(ref, value);
    return value;
  }

  return revive(table[0] as number);
}

function special(ref: number): unknown {
  switch (ref) {
    case Special.Undefined:
      return undefined;
    case Special.Null:
      return null;
    case Special.NaN:
      return NaN;
    case Special.Infinity:
      return Infinity;
    case Special.NegativeInfinity:
      return -Infinity;
    case Special.NegativeZero:
      return -0;
    default:
      throw new Error(`Serialized island props hold an unknown reference ${ref}`);
  }
}
