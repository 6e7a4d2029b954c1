/**
 * A stand-in parent for Preact that spans the nodes between two comments, so
 * an island can hydrate and re-render in place without a wrapper element.
 * Inserts that would land outside the span are kept inside it.
 */
export function createRootFragment(start: Comment, end: Comment): Element {
  const parent = end.parentNode!;
  const contains = (node: Node | null): boolean => {
    for (let child = start.nextSibling; child !== null && child !== end; child = child.nextSibling) {
      if (child === node) return true;
    }
    return false;
  };
  const fragment = {
    nodeType: 1,
    parentNode: parent,
    namespaceURI: (parent as Element).namespaceURI,
    get firstChild() {
      const first = start.nextSibling;
      return first === end ? null : first;
    },
    get childNodes() {
      const nodes: Node[] = [];
      for (let child = start.nextSibling; child !== null && child !== end; child = child.nextSibling) {
        nodes.push(child);
      }
      return nodes;
    },
    contains,
    insertBefore(node: Node, before: Node | null) {
      return parent.insertBefore(node, contains(before) ? before : end);
    },
    appendChild(node: Node) {
      return parent.insertBefore(node, end);
    },
    removeChild(node: Node) {
      return parent.removeChild(node);
    },
  };
  return fragment as unknown as Element;
}
