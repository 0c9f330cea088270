import type { Graph } from './graph.ts';

/**
 * Dead-code elimination: drop every node whose outputs no graph output needs
 * (e.g. forward values only the loss used, or rules' by-products), then the
 * initialisers nothing reads. Graph inputs stay, since callers feed them.
 */
export function prune(g: Graph): { nodesRemoved: number } {
  const live = new Set(g.outputs.map((o) => o.name));
  const keep = new Array<boolean>(g.nodes.length).fill(false);
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const n = g.nodes[i]!;
    if (!n.outputs.some((o) => live.has(o))) continue;
    keep[i] = true;
    for (const inp of n.inputs) if (inp) live.add(inp);
  }
  const before = g.nodes.length;
  const kept = g.nodes.filter((_, i) => keep[i]);
  g.nodes.splice(0, g.nodes.length, ...kept);
  for (const name of [...g.initializers.keys()]) if (!live.has(name)) g.initializers.delete(name);
  return { nodesRemoved: before - kept.length };
}
