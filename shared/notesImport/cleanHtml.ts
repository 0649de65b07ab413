import { ImportProblem } from './importProblem.js';

/** Elements whose content is never notes. */
const DROP = 'script, style, template, noscript, iframe, object, embed, svg, math, canvas, button, select, textarea, head, title, meta, link';
/** Containers whose loose lines (text and inline elements between <br>s) become paragraphs. */
const LINE_CONTAINERS = new Set(['BODY', 'DIV', 'SECTION', 'ARTICLE', 'MAIN', 'HEADER', 'FOOTER', 'ASIDE', 'BLOCKQUOTE']);
const BLOCKS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DETAILS', 'DIV', 'DL', 'DD', 'DT', 'FIELDSET', 'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6',
  'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE', 'SECTION', 'SUMMARY', 'TABLE', 'UL',
]);
/** Emphasis is structure; colours, fonts, sizes and classes are not. */
const KEPT_STYLE = /^(font-weight|font-style|text-decoration(?:-line)?)$/i;

/**
 * Turns HTML from a web page, Word, Google Docs or an Etherpad export into
 * plain structure before ProseMirror reads it with the notes schema:
 * scripts and styles go; classes go; inline styles keep only bold, italic,
 * underline and strike-through; Word's fake list paragraphs become real
 * lists; table rows become lines ("cell | cell"); and lines separated only
 * by <br> (Etherpad's export has no paragraphs) become paragraphs, so each
 * line is its own block. Works on any DOM (the browser's or linkedom's).
 * `maxDepth` bounds element nesting, so a hostile file cannot exhaust the
 * stack of the recursive steps that follow.
 */
export function cleanHtml(root: Element, maxDepth: number): void {
  checkDepth(root, maxDepth);
  for (const el of [...root.querySelectorAll(DROP)]) el.remove();
  // <details> is a box with a one-line title: both are ordinary blocks to the notes.
  for (const el of [...root.querySelectorAll('summary, details')]) renameTo(el, el.tagName.toUpperCase() === 'SUMMARY' ? 'p' : 'div');
  wordLists(root);
  for (const el of [...root.querySelectorAll('[style*="mso-list"]')]) if (/mso-list:\s*ignore/i.test(el.getAttribute('style') ?? '')) el.remove();
  for (const table of [...root.querySelectorAll('table')].reverse()) tableToLines(table);
  imagesToLinks(root);
  for (const el of [root, ...root.querySelectorAll('*')]) {
    el.removeAttribute('class');
    el.removeAttribute('id');
    const style = el.getAttribute('style');
    if (style !== null) {
      const kept = style
        .split(';')
        .map((d) => d.trim())
        .filter((d) => KEPT_STYLE.test(d.split(':')[0]?.trim() ?? ''));
      if (kept.length) el.setAttribute('style', kept.join('; '));
      else el.removeAttribute('style');
    }
  }
  for (const el of [root, ...root.querySelectorAll('*')].filter((e) => LINE_CONTAINERS.has(e.tagName.toUpperCase()))) linesToParagraphs(el);
}

function renameTo(el: Element, tag: string): void {
  const next = el.ownerDocument.createElement(tag);
  next.append(...el.childNodes);
  el.replaceWith(next);
}

function checkDepth(root: Element, maxDepth: number): void {
  const stack: [Element, number][] = [[root, 0]];
  while (stack.length) {
    const [el, depth] = stack.pop()!;
    if (depth > maxDepth) throw new ImportProblem('too_deep', `the HTML is nested more than ${maxDepth} elements deep`);
    for (const child of el.children) stack.push([child, depth + 1]);
  }
}

/**
 * Word writes lists as paragraphs styled `mso-list:l0 level2 lfo1`, with the
 * bullet or number as text in a span styled `mso-list:Ignore`.
 */
function wordLists(root: Element): void {
  const doc = root.ownerDocument;
  const paragraphs = [...root.querySelectorAll('p[style*="mso-list"]')].filter((p) => /mso-list:\s*l\d+\s+level\d+/i.test(p.getAttribute('style') ?? ''));
  let stack: { list: Element; level: number }[] = [];
  let previous: Element | null = null;
  for (const p of paragraphs) {
    const level = Number(/level(\d+)/i.exec(p.getAttribute('style') ?? '')?.[1] ?? '1');
    const marker = p.querySelector('[style*="mso-list"]')?.textContent?.replace(/\s+/g, '') ?? '';
    const tag = /^(\d+|[a-z]{1,3}|[ivxlc]+)[.)]$/i.test(marker) ? 'ol' : 'ul';
    const continues = previous !== null && sameRun(previous, p);
    if (!continues) stack = [];
    while (stack.length && stack[stack.length - 1]!.level > level) stack.pop();
    let top = stack[stack.length - 1];
    if (!top || top.level < level || top.list.tagName.toLowerCase() !== tag) {
      if (top && top.level === level) stack.pop();
      const list = doc.createElement(tag);
      const parentItem = stack[stack.length - 1]?.list.lastElementChild;
      if (parentItem) parentItem.append(list);
      else p.before(list);
      top = { list, level };
      stack.push(top);
    }
    const li = doc.createElement('li');
    li.append(...p.childNodes);
    top.list.append(li);
    p.remove();
    previous = li;
  }
}

/** Two Word list paragraphs belong to one list when nothing but whitespace stood between them. */
function sameRun(previousItem: Element, p: Element): boolean {
  let root = previousItem.parentElement;
  while (root?.parentElement && root.parentElement.tagName.toUpperCase() === 'LI') root = root.parentElement.parentElement;
  let node = root?.nextSibling ?? null;
  while (node && node !== p) {
    if (node.nodeType !== 3 || node.textContent?.trim()) return false;
    node = node.nextSibling;
  }
  return node === p;
}

function tableToLines(table: Element): void {
  const doc = table.ownerDocument;
  const rows = [...table.querySelectorAll('tr')].filter((tr) => tr.closest('table') === table);
  const lines = rows.map((tr) => {
    const p = doc.createElement('p');
    [...tr.children]
      .filter((c) => /^(TD|TH)$/i.test(c.tagName))
      .forEach((cell, i) => {
        if (i > 0) p.append(doc.createTextNode(' | '));
        const target = cell.tagName.toUpperCase() === 'TH' ? p.appendChild(doc.createElement('strong')) : p;
        target.append(...inlineCopy(cell));
      });
    return p;
  });
  table.replaceWith(...lines);
}

/** A cell's text and links, flattened onto one line (its paragraphs and breaks become spaces). */
function inlineCopy(cell: Element): Node[] {
  const doc = cell.ownerDocument;
  const out: Node[] = [];
  const walk = (node: Node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === 3) out.push(doc.createTextNode((child.textContent ?? '').replace(/\s+/g, ' ')));
      else if (child.nodeType !== 1) continue;
      else if ((child as Element).tagName.toUpperCase() === 'A' && (child as Element).getAttribute('href')) {
        const a = doc.createElement('a');
        a.setAttribute('href', (child as Element).getAttribute('href')!);
        a.textContent = (child.textContent ?? '').replace(/\s+/g, ' ');
        out.push(a);
      } else {
        if (isBlock(child) || (child as Element).tagName.toUpperCase() === 'BR') out.push(doc.createTextNode(' '));
        walk(child);
      }
    }
  };
  walk(cell);
  return out;
}

function isBlock(node: Node): boolean {
  return node.nodeType === 1 && BLOCKS.has((node as Element).tagName.toUpperCase());
}

function linesToParagraphs(container: Element): void {
  const doc = container.ownerDocument;
  const children = [...container.childNodes];
  if (!children.some((c) => c.nodeType === 1 && (c as Element).tagName.toUpperCase() === 'BR')) return;
  let line: Node[] = [];
  const flush = (before: Node | null) => {
    const meaningful = line.some((n) => n.nodeType !== 3 || n.textContent?.trim());
    if (meaningful) {
      const p = doc.createElement('p');
      if (before) container.insertBefore(p, before);
      else container.append(p);
      p.append(...line);
    } else {
      for (const n of line) n.parentNode?.removeChild(n);
    }
    line = [];
  };
  for (const child of children) {
    if (isBlock(child)) {
      flush(child);
    } else if (child.nodeType === 1 && (child as Element).tagName.toUpperCase() === 'BR') {
      flush(child);
      child.parentNode?.removeChild(child);
    } else {
      line.push(child);
    }
  }
  flush(null);
}

/**
 * The notes hold no images, but what an image was can stay: a link to it
 * named by its alt text (or its file name), or its alt text alone when it has
 * no web address (a pasted screenshot's data: URL). An image with neither
 * goes, as before.
 */
function imagesToLinks(root: Element): void {
  for (const img of [...root.querySelectorAll('img')]) {
    const src = (img.getAttribute('src') ?? '').trim();
    const web = /^https?:\/\//i.test(src);
    let label = (img.getAttribute('alt') ?? '').replace(/\s+/g, ' ').trim();
    if (!label && web) label = fileName(src);
    if (!label) {
      img.remove();
      continue;
    }
    const doc = img.ownerDocument;
    const text = doc.createTextNode(`[${label}]`);
    if (!web || img.closest('a')) {
      img.replaceWith(text);
      continue;
    }
    const link = doc.createElement('a');
    link.setAttribute('href', src);
    link.append(text);
    img.replaceWith(link);
  }
}

function fileName(url: string): string {
  const last = url.split(/[?#]/)[0]!.split('/').filter(Boolean).pop() ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
