/**
 * A template is either one sentence or a set of plural forms keyed by the
 * `Intl.PluralRules` category of `{count}` (`one`, `few`, `many`, … and the
 * required `other`), with optional exact matches such as `'=0'` that win over
 * the category. Placeholders are `{name}` and are filled from `params`.
 */
export type TemplateText = string | PluralTemplate;

export type PluralTemplate = { other: string } & Partial<Record<Intl.LDMLPluralRule, string>> & {
    [exact: `=${number}`]: string;
  };

/** Every situation the SDK tells the user about. `{count}`, `{seconds}` and `{reason}` come from params. */
export interface Templates {
  offline: TemplateText;
  backOnline: TemplateText;
  unreachable: TemplateText;
  slow: TemplateText;
  degraded: TemplateText;
  savingTrouble: TemplateText;
  /** "{count} changes waiting to sync" */
  queued: TemplateText;
  /** "All {count} changes synced." */
  synced: TemplateText;
  rejected: TemplateText;
  storageFallback: TemplateText;
  /** "… trying again in {seconds} s" */
  circuitOpen: TemplateText;
  predictedTrouble: TemplateText;
}

export type TemplateId = keyof Templates;

/**
 * Default English texts, written for the people using the app rather than for
 * its engineers: say what happened, whether their work is safe, and what happens next.
 */
export const defaultTemplates: Readonly<Templates> = Object.freeze({
  offline: "You're offline. Changes are saved on this device and will sync when you're back.",
  backOnline: "You're back online.",
  unreachable: "We're having trouble reaching the server. Your work is being saved locally.",
  slow: 'The connection looks unstable — some features are simplified for now.',
  degraded: 'Some features are paused for now while we sort out a problem. Your work is safe.',
  savingTrouble: "We're having trouble saving your changes. They're stored safely and we'll keep trying.",
  queued: { one: '{count} change waiting to sync', other: '{count} changes waiting to sync' },
  synced: { one: 'Your change synced.', other: 'All {count} changes synced.' },
  rejected: {
    one: "One of your changes couldn't be saved because the server didn't accept it.",
    other: "{count} of your changes couldn't be saved because the server didn't accept them.",
  },
  storageFallback: "This browser can't store changes — keep this tab open until they sync.",
  circuitOpen: "Part of the app isn't responding right now — trying again in {seconds} s.",
  predictedTrouble:
    "The connection looks shaky — we're keeping a copy of your work on this device just in case.",
});

export const templateIds = Object.freeze(Object.keys(defaultTemplates)) as readonly TemplateId[];
