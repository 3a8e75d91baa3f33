import type { PluralTemplate, TemplateText } from './templates.js';

export type TemplateParams = Readonly<Record<string, string | number>>;

/** `{name}`: a plain identifier in braces; anything else in braces is left as written. */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Fills templates for one locale. Plural forms are chosen with `Intl.PluralRules`
 * from the `count` param, numbers are written with `Intl.NumberFormat` ("1,234").
 *
 * Interpolation is one pass of literal substitution: a param's value is never
 * re-scanned for placeholders, never interpreted as a replacement pattern (`$&`),
 * never evaluated, and never escaped — messages are text and are rendered as text.
 * A placeholder without a param stays as written, so a missing param is visible
 * in development instead of silently producing a broken sentence.
 */
export function createTemplateFormatter(
  locale: string,
): (text: TemplateText, params?: TemplateParams) => string {
  const pluralRules = new Intl.PluralRules(locale);
  const numberFormat = new Intl.NumberFormat(locale);

  const selectForm = (template: PluralTemplate, count: unknown): string => {
    const n = toNumber(count);
    if (n === undefined) return template.other;
    const exact = `=${n}` as const;
    if (Object.hasOwn(template, exact)) return template[exact] as string;
    const category = pluralRules.select(n);
    return Object.hasOwn(template, category) ? (template[category] as string) : template.other;
  };

  return (text, params = {}) => {
    const chosen = typeof text === 'string' ? text : selectForm(text, params.count);
    return chosen.replace(PLACEHOLDER, (whole, name: string) => {
      if (!Object.hasOwn(params, name)) return whole;
      const value = params[name];
      return typeof value === 'number' ? numberFormat.format(value) : String(value);
    });
  };
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}
