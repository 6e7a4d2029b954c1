/** Prefix of the comment that opens an island in server-rendered HTML. */
export const ISLAND_START = "frsh:island:";
/** The comment that closes an island in server-rendered HTML. */
export const ISLAND_END = "/frsh:island";
/** Id of the `<script type="application/json">` holding the islands' props. */
export const STATE_SCRIPT_ID = "__FRSH_STATE";
/** URL prefix of built, content-hashed assets. */
export const ASSET_PREFIX = "/_fresh/";
/** Cache-Control for content-hashed assets. */
export const IMMUTABLE = "public, max-age=31536000, immutable";
