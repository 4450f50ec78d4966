import { renderMarkdown } from "@/lib/markdown/render";

// Typography for rendered Markdown, written with utilities (no typography plugin).
const PROSE = [
  "max-w-none break-words text-slate-800 leading-relaxed",
  "[&_h1]:mt-6 [&_h1]:mb-3 [&_h1]:text-2xl [&_h1]:font-bold [&_h1]:text-slate-900",
  "[&_h2]:mt-6 [&_h2]:mb-2 [&_h2]:text-xl [&_h2]:font-semibold [&_h2]:text-slate-900",
  "[&_h3]:mt-5 [&_h3]:mb-2 [&_h3]:text-lg [&_h3]:font-semibold [&_h3]:text-slate-900",
  "[&_h4]:mt-4 [&_h4]:mb-1 [&_h4]:font-semibold [&_h5]:mt-4 [&_h5]:font-semibold [&_h6]:mt-4 [&_h6]:font-semibold",
  "[&>*:first-child]:mt-0 [&_p]:my-3",
  "[&_ul]:my-3 [&_ul]:list-disc [&_ul]:pl-6 [&_ol]:my-3 [&_ol]:list-decimal [&_ol]:pl-6 [&_li]:my-1",
  "[&_ul.contains-task-list]:list-none [&_ul.contains-task-list]:pl-1 [&_li.task-list-item_input]:mr-2 [&_li.task-list-item_input]:align-middle",
  "[&_a]:text-brand-700 [&_a]:underline [&_a:hover]:text-brand-800",
  "[&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_code]:font-mono [&_code]:text-[0.9em]",
  "[&_pre]:my-3 [&_pre]:overflow-x-auto [&_pre]:rounded-lg [&_pre]:bg-slate-900 [&_pre]:p-3 [&_pre]:text-slate-100",
  "[&_pre_code]:bg-transparent [&_pre_code]:p-0 [&_pre_code]:text-sm",
  "[&_blockquote]:my-3 [&_blockquote]:border-l-4 [&_blockquote]:border-slate-300 [&_blockquote]:pl-4 [&_blockquote]:text-slate-600",
  "[&_table]:my-3 [&_table]:block [&_table]:w-full [&_table]:overflow-x-auto [&_table]:border-collapse [&_table]:text-sm",
  "[&_th]:border [&_th]:border-slate-300 [&_th]:bg-slate-50 [&_th]:px-2 [&_th]:py-1 [&_th]:text-left [&_th]:font-semibold",
  "[&_td]:border [&_td]:border-slate-300 [&_td]:px-2 [&_td]:py-1",
  "[&_hr]:my-6 [&_hr]:border-slate-200 [&_img]:max-w-full [&_del]:text-slate-600",
  "[&_section.footnotes]:mt-6 [&_section.footnotes]:border-t [&_section.footnotes]:border-slate-200 [&_section.footnotes]:pt-3 [&_section.footnotes]:text-sm",
].join(" ");

/**
 * A document's Markdown body. The HTML injected here is only ever the sanitizer's output
 * (`renderMarkdown`), never the stored text itself.
 */
export function DocumentBody({ markdown }: { markdown: string }) {
  const html = renderMarkdown(markdown);
  return <div className={PROSE} dangerouslySetInnerHTML={{ __html: html }} />;
}
