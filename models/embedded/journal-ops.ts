// The physical changes a command makes, as written to the journal. Each command's changes form one
// journal record, so a crash leaves either all of them or none.
import type { Doc } from './errors.js';
import type { IndexSpec } from './indexes.js';

export type JournalOp =
  | { k: 'put'; d: string; c: string; doc: Doc }
  | { k: 'del'; d: string; c: string; id: unknown }
  | { k: 'mkc'; d: string; c: string; o: Doc }
  | { k: 'rmc'; d: string; c: string }
  /** New collection options (collMod). */
  | { k: 'opt'; d: string; c: string; o: Doc }
  | { k: 'rmd'; d: string }
  | { k: 'mki'; d: string; c: string; spec: IndexSpec }
  | { k: 'rmi'; d: string; c: string; n: string };
