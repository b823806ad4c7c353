// Files citizens send are kept by the desk itself: WeChat deletes a citizen's media after three
// days, long before a case is archived. Content-addressed, so the same photo sent twice (or a
// retried push) is one file, and a file once written is never changed.
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface KeptFile {
  /** What a case's attachment `ref` holds: `desk-file:<sha256>.<ext>`. */
  ref: string;
  size: number;
}

export interface AttachmentStore {
  keep(bytes: Buffer, mime: string): Promise<KeptFile>;
  /** The bytes of a file kept here, or null for a ref this store does not hold (another channel's). */
  read(ref: string): Promise<Buffer | null>;
}

const EXT: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'audio/amr': 'amr',
  'audio/mpeg': 'mp3',
  'audio/x-speex': 'speex',
  'video/mp4': 'mp4',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
};

export const DESK_FILE = 'desk-file:';

/** Keeps files under `dir` (the data directory's attachments/; share it between processes). */
export function createFileAttachmentStore(dir: string): AttachmentStore {
  let made: Promise<unknown> | undefined;
  return {
    async keep(bytes, mime) {
      made ??= mkdir(dir, { recursive: true });
      await made;
      const name = `${createHash('sha256').update(bytes).digest('hex')}.${EXT[mime.split(';')[0].trim()] ?? 'bin'}`;
      try {
        await writeFile(join(dir, name), bytes, { flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      return { ref: `${DESK_FILE}${name}`, size: bytes.length };
    },
    async read(ref) {
      const name = ref.startsWith(DESK_FILE) ? ref.slice(DESK_FILE.length) : '';
      // Only the names keep() writes: a ref from the database never reaches outside `dir`.
      if (!/^[0-9a-f]{64}\.[a-z0-9]{1,8}$/.test(name)) return null;
      try {
        return await readFile(join(dir, name));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
  };
}
