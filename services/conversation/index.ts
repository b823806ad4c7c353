// The conversation engine's public surface. Channels import from here only.
export { type EngineCopyKey, engineText } from './copy.js';
export { type ConversationEngine, createConversationEngine, type DialogueView, type TurnInfo } from './engine.js';
export { ConversationConflictError } from './errors.js';
export { conversationKeys } from './keys.js';
export { matchUnit } from '../directory/unit-match.js';
export type { CitizenEvent, ConversationCases, ConversationEngineOptions, ConversationInput } from './types.js';
