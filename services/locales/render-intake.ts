// Turns the intake dialogue's reply descriptors into channel-neutral Sayables. Several replies of
// one turn stay separate messages; numbering choices for text-only channels is the channel's job.

import type { IntakeCopyKey, IntakeReply } from '../../machines/intake/index.js';
import type { Sayable } from '../../models/sayable.js';
import type { Locale } from '../../models/vocabulary.js';
import { intakeEn } from './en/intake.js';
import { intakeZh } from './zh/intake.js';

const COPY: Record<Locale, Record<IntakeCopyKey, string>> = { zh: intakeZh, en: intakeEn };

/** Fills {name} placeholders; an unknown placeholder is left visible so a test can catch it. */
export function fillTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

export function intakeText(key: IntakeCopyKey, locale: Locale, params: Record<string, string | number> = {}): string {
  return fillTemplate(COPY[locale][key], params);
}

/** Where the site's window is, in each locale: the copy that sends a citizen there names it. */
export function windowPlace(locale: Locale, site?: { name: string; windowLocation?: string }): string {
  if (locale === 'en') return site?.windowLocation ? `the "could not get it done" window (${site.name}, ${site.windowLocation})` : 'the center\'s "could not get it done" window';
  return site ? `${site.name}${site.windowLocation ?? ''}“办不成事”窗口` : '中心“办不成事”窗口';
}

export function renderIntakeReply(reply: IntakeReply, locale: Locale, site?: { name: string; windowLocation?: string }): Sayable {
  const values: Record<string, string | number> = { windowPlace: windowPlace(locale, site), ...(reply.params ?? {}) };
  for (const [name, key] of Object.entries(reply.refs ?? {})) values[name] = intakeText(key, locale);
  // Optional fragments (an empty hint) leave no doubled spaces or dangling blank lines.
  const text = intakeText(reply.key, locale, values)
    .replace(/ +\n/g, '\n')
    .replace(/[ \t]+$/g, '');
  if (!reply.choices?.length) return { kind: 'text', text };
  return {
    kind: 'choices',
    text,
    choices: reply.choices.map((c) => ({ id: c.id, label: intakeText(c.key, locale, c.params) })),
  };
}
