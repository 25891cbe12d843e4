import type { Content } from './model';

/** Counts content staff care about, e.g. for `npm run content:check` and the startup banner. */
export interface ContentSummary {
  intents: number;
  examples: { id: number; en: number };
  templates: number;
  categories: number;
}

export function summarizeContent(content: Content): ContentSummary {
  let id = 0;
  let en = 0;
  for (const intent of content.intents) {
    id += intent.examples.id.length;
    en += intent.examples.en.length;
  }
  return {
    intents: content.intents.length,
    examples: { id, en },
    templates: content.templates.size,
    categories: Object.keys(content.routing.categories).length,
  };
}

/** `24 intents (400 id / 210 en examples), 41 templates, 7 categories`. */
export function formatSummary(s: ContentSummary): string {
  return `${s.intents} intents (${s.examples.id} id / ${s.examples.en} en examples), ${s.templates} templates, ${s.categories} categories`;
}
