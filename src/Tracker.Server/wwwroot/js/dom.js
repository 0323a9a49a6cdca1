// Builds DOM nodes. Text goes in through text nodes only (never innerHTML), so whatever an event
// holds, HTML or script included, is shown as text.

/**
 * Creates an element: h('a', { href: url, class: 'x' }, 'text', child).
 * Attributes are set with setAttribute; `hidden` and other booleans with true/false; null and
 * undefined attributes and children are skipped. Children are nodes or text.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, ...children);
  return element;
}

/** Appends nodes or text (as text nodes) to a parent; arrays are flattened, null skipped. */
export function append(parent, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Removes every child of a node. */
export function clear(node) {
  node.replaceChildren();
  return node;
}

/** A copy of a <template id="..."> of index.html. */
export function fromTemplate(id) {
  const template = document.getElementById(id);
  return template.content.firstElementChild.cloneNode(true);
}

/** Sets an element's text (textContent) and returns it. */
export function setText(element, text) {
  element.textContent = text ?? '';
  return element;
}
