// Template messages (模板消息) reach a citizen after the 48-hour customer-service window has
// closed or its 5 messages are spent. Each account applies for its own templates, so which
// template a kind of message uses, and what goes in each field, is configuration
// (WECHAT_OA_TEMPLATES), keyed by the message's reason ('citizen.follow_up') or a prefix
// ('citizen.*'). Field values may use {number}, {text} and {time}.
import { formatZhDateTime } from '../../../services/calendar/format.js';

export interface TemplateRule {
  templateId: string;
  fields: Record<string, string>;
  /** Where tapping the message leads (optional; WeChat opens the chat otherwise). */
  url?: string;
}

export type TemplateRules = Record<string, TemplateRule>;

/** The rule for a reason: exact first, then the longest matching 'prefix.*', then '*'. */
export function templateFor(rules: TemplateRules, reason: string | undefined): TemplateRule | undefined {
  if (!reason) return rules['*'];
  if (rules[reason]) return rules[reason];
  const prefixes = Object.keys(rules)
    .filter((k) => k.endsWith('.*') && reason.startsWith(k.slice(0, -1)))
    .sort((a, b) => b.length - a.length);
  return prefixes[0] ? rules[prefixes[0]] : rules['*'];
}

// WeChat refuses values longer than each keyword type allows (its published limits).
const LIMITS: [RegExp, number][] = [
  [/^thing/, 20],
  [/^character_string/, 32],
  [/^phrase/, 5],
  [/^name/, 10],
  [/^car_number/, 8],
  [/^(number|letter|amount)/, 32],
];

const fitField = (field: string, value: string) => {
  const max = LIMITS.find(([re]) => re.test(field))?.[1];
  const chars = [...value];
  return max && chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : value;
};

export function templateData(rule: TemplateRule, p: { number?: string; text: string; at: Date }): Record<string, string> {
  const summary = p.text.replace(/\s+/g, ' ').trim();
  const values: Record<string, string> = { number: p.number ?? '', text: summary, time: formatZhDateTime(p.at) };
  return Object.fromEntries(
    Object.entries(rule.fields).map(([field, pattern]) => [field, fitField(field, pattern.replace(/\{(number|text|time)\}/g, (_m, k: string) => values[k]))]),
  );
}
