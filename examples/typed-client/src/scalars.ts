/**
 * What citegraph's JSON scalar carries (ECMA-404), parsed: any JSON value. Work.cslJson is one
 * CSL-JSON item (an object), a connection's cslJson an array of them.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
