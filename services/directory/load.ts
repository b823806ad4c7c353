import { readFileSync } from 'node:fs';
import { type DirectoryData, directorySchema } from './schema.js';

/** The directory file is wrong; the message names the file, the entry and what is expected. */
export class DirectoryError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'DirectoryError';
  }
}

export function parseDirectory(raw: unknown, file = 'directory'): DirectoryData {
  const parsed = directorySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new DirectoryError(file, `${where}: ${issue.message}`);
  }
  return parsed.data;
}

export function loadDirectoryFile(path: string): DirectoryData {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DirectoryError(path, `cannot read the directory file (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new DirectoryError(path, `not valid JSON (${(e as Error).message})`);
  }
  return parseDirectory(raw, path);
}
