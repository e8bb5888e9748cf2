/** Plain JSON values as produced by `JSON.parse` (no undefined, no non-finite numbers). */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}
