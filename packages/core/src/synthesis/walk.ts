import type { IConstruct } from 'constructs';

/**
 * Every construct of the tree in pre-order (parents before children,
 * children in the order they were added). Iterative: a deep tree cannot
 * overflow the stack, and each node's children are read exactly once.
 */
export function preOrder(root: IConstruct): IConstruct[] {
  const out: IConstruct[] = [];
  const stack: IConstruct[] = [root];
  while (stack.length > 0) {
    const c = stack.pop()!;
    out.push(c);
    const children = c.node.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return out;
}
