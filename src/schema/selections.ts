/** Helpers for the selections Pothos plans into Prisma queries. */

/** The `nestedSelection` callback Pothos hands a field's `select`. */
type NestedSelection = (selection?: true | Record<string, unknown>, path?: string[]) => unknown;

/** Merges two Prisma selections: `true` (the defaults) yields to anything more specific. */
function mergeSelections(a: unknown, b: unknown): unknown {
  if (typeof a !== 'object' || a === null) return typeof b === 'object' && b !== null ? b : (a ?? b);
  if (typeof b !== 'object' || b === null) return a;
  const merged: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [key, value] of Object.entries(b))
    merged[key] = key in merged ? mergeSelections(merged[key], value) : value;
  return merged;
}

/** `{ select: {} }`: what a path with no fields under it yields. */
const selectsNothing = (selection: unknown) =>
  typeof selection === 'object' &&
  selection !== null &&
  Object.keys(selection).length === 1 &&
  Object.keys((selection as { select?: object }).select ?? { any: 1 }).length === 0;

/**
 * The connection helpers read the node selection under `edges.node` only; clients may select
 * the same nodes under `nodes`, so both are planned. With neither, the node loads its defaults.
 */
export function withNodes<Selection extends NestedSelection>(nestedSelection: Selection): Selection {
  return ((selection, path) => {
    const isNodePath = path?.length === 2 && path[0] === 'edges' && path[1] === 'node';
    if (!isNodePath) return nestedSelection(selection, path);
    const picked = [nestedSelection(selection, path), nestedSelection(selection, ['nodes'])].filter(
      (candidate) => !selectsNothing(candidate),
    );
    return picked.length === 0 ? true : picked.reduce(mergeSelections);
  }) as Selection;
}
