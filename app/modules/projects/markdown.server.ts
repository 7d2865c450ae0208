import MarkdownIt from 'markdown-it';

/**
 * Markdown as people write it in descriptions and comments, rendered to safe HTML: raw HTML in
 * the text is shown as text (html: false), links with a scheme other than http(s), mailto or a
 * relative path are not made links (markdown-it's validateLink refuses javascript:, data: and
 * the like), and links carry rel="noopener noreferrer nofollow".
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: true, breaks: true });

const defaultLinkOpen =
  markdown.renderer.rules.link_open ??
  ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
markdown.renderer.rules.link_open = (tokens, index, options, env, self) => {
  tokens[index]!.attrSet('rel', 'noopener noreferrer nofollow');
  return defaultLinkOpen(tokens, index, options, env, self);
};

export function renderMarkdown(text: string): string {
  return markdown.render(text);
}
