/** A node of the merge tree: level 0 is the top node, and a node's parent is (level - 1, floor(index / 2)). */
export type TreePosition = readonly [level: number, index: number];

/** Callbacks the walk makes, children before parents, leaves in leaf order. */
export interface MergeTreeVisitor<Node> {
  leaf(leafIndex: number, position: TreePosition): Node;
  merge(position: TreePosition, left: Node, right: Node): Node;
}

/**
 * Walks the unpadded merge tree over `leaves` leaves: the left subtree is balanced over the largest power of two
 * that fits, the right subtree is the same construction over the rest, and a lone leaf sits where it is. The top
 * node is not a merge: the root circuit consumes its children, returned here (one child when there is one leaf).
 */
export function walkMergeTree<Node>(leaves: number, visitor: MergeTreeVisitor<Node>): Node[] {
  if (!Number.isInteger(leaves) || leaves < 1) throw new RangeError(`a merge tree needs at least one leaf, got ${leaves}`);
  if (leaves === 1) return [visitor.leaf(0, [0, 0])];
  const [left, right] = splitAt(leaves);
  return [walk(visitor, 1, 0, 0, left), walk(visitor, 1, 1, left, right)];
}

function walk<Node>(visitor: MergeTreeVisitor<Node>, level: number, index: number, first: number, count: number): Node {
  if (count === 1) return visitor.leaf(first, [level, index]);
  const [left, right] = splitAt(count);
  const leftNode = walk(visitor, level + 1, 2 * index, first, left);
  const rightNode = walk(visitor, level + 1, 2 * index + 1, first + left, right);
  return visitor.merge([level, index], leftNode, rightNode);
}

/** A balanced subtree splits in halves; otherwise the largest power of two goes left. */
function splitAt(count: number): [left: number, right: number] {
  const power = 2 ** Math.floor(Math.log2(count));
  const left = power === count ? count / 2 : power;
  return [left, count - left];
}

/** Depth of the merge tree over `leaves` leaves: ceil(log2 n). */
export function mergeTreeDepth(leaves: number): number {
  return Math.ceil(Math.log2(leaves));
}

/** Merge jobs in a tree over `leaves` leaves (the top node is the root circuit, not a merge). */
export function mergeCount(leaves: number): number {
  return Math.max(leaves - 2, 0);
}

export interface MergeTreeShape {
  readonly depth: number;
  readonly leaves: TreePosition[];
  readonly merges: TreePosition[];
}

/** Positions of every leaf (in leaf order) and every merge (children before parents). */
export function mergeTreeShape(leaves: number): MergeTreeShape {
  const shape: MergeTreeShape = { depth: mergeTreeDepth(leaves), leaves: [], merges: [] };
  walkMergeTree<null>(leaves, {
    leaf: (_, position) => {
      shape.leaves.push(position);
      return null;
    },
    merge: (position) => {
      shape.merges.push(position);
      return null;
    },
  });
  return shape;
}
