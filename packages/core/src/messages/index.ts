export { createMessageCenter, DEFAULT_TOAST_TTL_MS } from './message-center.js';
export { defaultTemplates } from './templates.js';
export type { PluralTemplate, TemplateId, Templates, TemplateText } from './templates.js';
export type {
  Message,
  MessageAction,
  MessageCenter,
  MessageCenterOptions,
  MessageInput,
  Placement,
  Politeness,
  Tone,
  VisibleMessages,
} from './types.js';
