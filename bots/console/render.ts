// A channel-neutral message as terminal lines: choices numbered, files named.
import type { Sayable } from '../../models/sayable.js';
import { consoleZh } from '../../services/locales/zh/console.js';

// Citizen text reaches a staff terminal: escape sequences in it must not move the cursor or recolour the screen.
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const plain = (t: string) => t.replace(CONTROL, '');

export type FileSayable = Extract<Sayable, { kind: 'file' }>;

/** `save` writes a file somewhere a terminal user can open it and returns the path, which is printed. */
export function renderSayable(s: Sayable, save?: (f: FileSayable) => string): string {
  switch (s.kind) {
    case 'text':
      return plain(s.text);
    case 'choices':
      return [plain(s.text), ...s.choices.map((c, i) => `  ${i + 1}. ${plain(c.label)}`)].join('\n');
    case 'file':
      return [
        consoleZh.file({ name: plain(s.name), kb: Math.ceil((s.base64.length * 3) / 4 / 1024) }),
        ...(save ? [consoleZh.savedTo(save(s))] : []),
        ...(s.caption ? [plain(s.caption)] : []),
      ].join('\n');
  }
}

/** Indents every line after the label so a multi-line message stays readable in a scrolling terminal. */
export function labelled(label: string, body: string): string {
  const [first, ...rest] = body.split('\n');
  return [`${label}${first}`, ...rest.map((l) => `    ${l}`)].join('\n');
}
