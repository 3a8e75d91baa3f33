import { templateIds, type TemplateId, type Templates, type TemplateText } from './templates.js';

const PLURAL_KEY = /^(?:zero|one|two|few|many|other|=-?\d+(?:\.\d+)?)$/;

/**
 * Checks user-supplied templates with errors that name the exact field
 * (`templates.synced.one`); a typo in an id is an error rather than a silently
 * ignored override.
 */
export function validateTemplates(value: unknown, subject: string): Partial<Templates> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw new TypeError(`${subject}: option "templates" must be an object`);
  const checked: Partial<Record<TemplateId, TemplateText>> = {};
  for (const [id, text] of Object.entries(value)) {
    if (!(templateIds as readonly string[]).includes(id)) {
      throw new TypeError(
        `${subject}: option "templates.${id}" is not a known template; known: ${templateIds.join(', ')}`,
      );
    }
    checked[id as TemplateId] = validateTemplateText(text, `templates.${id}`, subject);
  }
  return checked;
}

function validateTemplateText(text: unknown, field: string, subject: string): TemplateText {
  if (typeof text === 'string') return text;
  if (!isPlainObject(text)) {
    throw new TypeError(`${subject}: option "${field}" must be a string or plural forms { one?, other, … }`);
  }
  for (const [key, form] of Object.entries(text)) {
    if (!PLURAL_KEY.test(key)) {
      throw new TypeError(
        `${subject}: option "${field}.${key}" is not a plural form; use zero, one, two, few, many, other or =<number>`,
      );
    }
    if (typeof form !== 'string')
      throw new TypeError(`${subject}: option "${field}.${key}" must be a string`);
  }
  if (typeof text.other !== 'string') throw new TypeError(`${subject}: option "${field}.other" is required`);
  return { ...text } as TemplateText;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The production build's take on the same option (option checks are the development build's,
 * see dev.ts): the templates it can use — a known id with a string, or plural forms of strings
 * with `other` — and nothing else, so a bad one falls back to the default text instead of
 * breaking every message that uses it.
 */
export function usableTemplates(value: unknown): Partial<Templates> {
  const usable: Partial<Record<TemplateId, TemplateText>> = {};
  if (isPlainObject(value))
    for (const [id, text] of Object.entries(value))
      if (
        (templateIds as readonly string[]).includes(id) &&
        (typeof text === 'string' ||
          (isPlainObject(text) &&
            typeof text.other === 'string' &&
            Object.values(text).every((form) => typeof form === 'string')))
      )
        usable[id as TemplateId] = typeof text === 'string' ? text : ({ ...text } as TemplateText);
  return usable;
}
