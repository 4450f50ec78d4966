import { describe, expect, it } from "vitest";
import { renderMarkdown } from "@/lib/markdown/render";

describe("renderMarkdown: what it renders", () => {
  it("renders headings, emphasis and code", () => {
    const html = renderMarkdown("# Runbook\n\n## Before you start\n\nSome **bold**, *emphasis* and `npm test`.\n\n```sh\nnpm start\n```");
    expect(html).toContain("<h1>Runbook</h1>");
    expect(html).toContain("<h2>Before you start</h2>");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("<em>emphasis</em>");
    expect(html).toContain("<code>npm test</code>");
    expect(html).toMatch(/<pre><code class="language-sh">npm start\n<\/code><\/pre>/);
  });

  it("renders bulleted and numbered lists", () => {
    const html = renderMarkdown("- one\n- two\n\n1. first\n2. second");
    expect(html).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    expect(html).toMatch(/<ol>\s*<li>first<\/li>\s*<li>second<\/li>\s*<\/ol>/);
  });

  it("renders GitHub tables with their column alignment", () => {
    const html = renderMarkdown("| Role | Minutes |\n|:--|--:|\n| DBA | 30 |");
    expect(html).toContain("<table>");
    expect(html).toContain('<th align="left">Role</th>');
    expect(html).toContain('<th align="right">Minutes</th>');
    expect(html).toContain('<td align="left">DBA</td>');
    expect(html).toContain('<td align="right">30</td>');
  });

  it("renders task lists as disabled checkboxes", () => {
    const html = renderMarkdown("- [ ] open task\n- [x] done task");
    expect(html).toContain('<ul class="contains-task-list">');
    expect(html).toContain('<li class="task-list-item"><input type="checkbox" disabled> open task</li>');
    expect(html).toContain('<li class="task-list-item"><input type="checkbox" checked disabled> done task</li>');
  });

  it("keeps ordinary links, strikethrough and autolinks", () => {
    const html = renderMarkdown("[guide](https://example.com/guide) and [local](docs/RUNBOOK.md), ~~old~~, www.example.com");
    expect(html).toContain('<a href="https://example.com/guide">guide</a>');
    expect(html).toContain('<a href="docs/RUNBOOK.md">local</a>');
    expect(html).toContain("<del>old</del>");
    expect(html).toContain('<a href="http://www.example.com">www.example.com</a>');
  });

  it("prefixes ids once and keeps footnote links pointing at them", () => {
    const html = renderMarkdown("A claim[^1].\n\n[^1]: The source.");
    expect(html).toContain('href="#user-content-fn-1"');
    expect(html).toContain('id="user-content-fn-1"');
    expect(html).toContain('href="#user-content-fnref-1"');
    expect(html).toContain('id="user-content-fnref-1"');
    expect(html).not.toContain("user-content-user-content");
  });

  it("renders empty input as an empty string", () => {
    expect(renderMarkdown("")).toBe("");
  });
});

describe("renderMarkdown: what it strips", () => {
  it("drops <script> elements, their content included", () => {
    const html = renderMarkdown("Before\n\n<script>alert('x')</script>\n\nAfter <script src=https://evil.example/x.js></script>");
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain("alert(");
    expect(html).toContain("Before");
    expect(html).toContain("After");
  });

  it.each([
    ["a Markdown link", "[click](javascript:alert(1))"],
    ["an upper-case scheme", "[click](JAVASCRIPT:alert(1))"],
    ["an entity-encoded scheme", "[click](jav&#x61;script:alert(1))"],
    ["a reference link", "[click][x]\n\n[x]: javascript:alert(1)"],
    ["a raw anchor", '<a href="javascript:alert(1)">click</a>'],
    ["a data: URL", "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"],
  ])("removes javascript:/data: URLs from %s", (_name, markdown) => {
    const html = renderMarkdown(markdown);
    expect(html).not.toMatch(/javascript:/i);
    expect(html).not.toMatch(/href="data:/i);
    expect(html).toContain("click");
  });

  it.each([
    ["an image tag", '<img src="x" onerror="alert(1)">'],
    ["an inline element", 'Hello <span onmouseover="alert(1)">there</span>'],
    ["an svg", '<svg onload="alert(1)"><circle r="4"/></svg>'],
  ])("removes event-handler attributes from %s", (_name, markdown) => {
    const html = renderMarkdown(markdown);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/<svg/i);
  });

  it("removes iframes, styles, forms and inline styles", () => {
    const html = renderMarkdown(
      '<iframe src="https://evil.example"></iframe>\n\n<style>body{display:none}</style>\n\n<form action="/x"><input name="q"></form>\n\n<p style="color:red">styled</p>',
    );
    expect(html).not.toMatch(/<iframe|<style|<form|style=/i);
  });

  it("does not let an image's alt text or title break out of its attribute", () => {
    const html = renderMarkdown('![x" onerror="alert(1)](https://example.com/a.png "t\\" onload=\\"alert(2)")');
    expect(html).not.toMatch(/\son(error|load)="/i);
    expect(html).toContain('src="https://example.com/a.png"');
  });
});
