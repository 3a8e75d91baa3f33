import axe from 'axe-core';

/**
 * Runs axe-core on a rendered component and returns its violations as readable
 * lines (empty when there are none). `region` is off: it judges whole pages
 * (all content inside landmarks), and these checks look at one component.
 * `color-contrast` is off: jsdom computes no layout or colours, so axe could
 * only answer "incomplete"; the end-to-end layer checks contrast in Chromium.
 */
export async function axeViolations(container: Element): Promise<string[]> {
  const results = await axe.run(container, {
    rules: { region: { enabled: false }, 'color-contrast': { enabled: false } },
  });
  return results.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.html).join(' | ')}`);
}
