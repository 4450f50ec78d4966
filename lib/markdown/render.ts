import rehypeSanitize from "rehype-sanitize";
import rehypeStringify from "rehype-stringify";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";

// Documents' bodies are Markdown written by people, shown inside the portal's pages.
// They become HTML through one pipeline whose sanitizing step uses GitHub's own
// allow-list: raw HTML in the source is dropped, and whatever survives is reduced to
// harmless tags, attributes and URL schemes (no scripts, no event handlers, no
// `javascript:` links). Nothing but this function's output may be injected into a page.

/** The few hast shapes the fragment-link step looks at. */
type HastNode = { type: string; tagName?: string; properties?: Record<string, unknown>; children?: HastNode[] };

/** The prefix the sanitizer puts before every `id`, so a document cannot clobber the page's own. */
const ID_PREFIX = "user-content-";

/**
 * The sanitizer prefixes ids but leaves `#fragment` links alone (GitHub fixes them up in
 * the browser). Point in-document links, such as footnote references, at the prefixed
 * ids, so they work without script. Only links whose target exists are touched.
 */
function rehypeFragmentLinks() {
  return (tree: HastNode) => {
    const ids = new Set<string>();
    const links: HastNode[] = [];
    const visit = (node: HastNode) => {
      const id = node.properties?.id;
      if (typeof id === "string") ids.add(id);
      if (node.tagName === "a" && typeof node.properties?.href === "string" && node.properties.href.startsWith("#")) links.push(node);
      node.children?.forEach(visit);
    };
    visit(tree);
    for (const link of links) {
      const target = (link.properties!.href as string).slice(1);
      if (!target.startsWith(ID_PREFIX) && ids.has(`${ID_PREFIX}${target}`)) link.properties!.href = `#${ID_PREFIX}${target}`;
    }
  };
}

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  // No prefix here: the sanitizer adds it (once) to every id.
  .use(remarkRehype, { clobberPrefix: "" })
  .use(rehypeSanitize)
  .use(rehypeFragmentLinks)
  .use(rehypeStringify)
  .freeze();

/** Markdown (CommonMark + GitHub's extensions) → sanitized HTML. */
export function renderMarkdown(markdown: string): string {
  return String(processor.processSync(markdown));
}
