import type { TemplateId } from '@bulletproof/core';
import { useCallback } from '../react.js';
import { useProtection } from '../context/BulletproofProvider.js';

/** Fills a template: a visible word in its current language and tone. */
export type TextOf = (id: TemplateId, params?: Record<string, string | number>) => string;

/**
 * The texts every component shows, from the Protection's message templates: one place to
 * reword or translate them all (`createProtection({ messages: { templates } })`).
 */
export function useText(): TextOf {
  const { messages } = useProtection();
  return useCallback<TextOf>((id, params) => messages.template(id, params), [messages]);
}
