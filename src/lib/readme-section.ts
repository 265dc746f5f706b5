/**
 * One `##` section of a Markdown document (the README's hosting guide, shown on the instructors'
 * page so the guide has one source). `heading` matches the start of the heading's text, so a
 * parenthetical added to it later does not break the page.
 */
export function markdownSection(markdown: string, heading: string): string {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((line) => line.startsWith(`## ${heading}`));
  if (start < 0) {
    const found = lines.filter((l) => l.startsWith('## ')).map((l) => l.slice(3));
    throw new Error(`markdownSection: no "## ${heading}" section, received sections: ${found.join(', ')}`);
  }
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim();
}
