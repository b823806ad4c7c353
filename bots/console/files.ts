// Files the desk sends to a terminal (forms, ledgers, charts) are written under DATA_DIR/files,
// one new file per message, so the person at the console can open them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import type { FileSayable } from './render.js';

export function fileSaver(dir: string): (f: FileSayable) => string {
  let n = 0;
  return (f) => {
    mkdirSync(dir, { recursive: true });
    // The name comes from the desk, but a name is never a path: keep its last part, drop separators.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is being removed
    const safe = basename(f.name.replace(/[\\/\u0000-\u001f]/g, '_')) || 'file';
    const ext = extname(safe);
    const stem = safe.slice(0, safe.length - ext.length);
    const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
    const path = resolve(join(dir, `${stem}-${stamp}-${++n}${ext}`));
    writeFileSync(path, Buffer.from(f.base64, 'base64'));
    return path;
  };
}
