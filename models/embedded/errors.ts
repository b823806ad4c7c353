// Errors the store answers with. CommandError carries MongoDB's numeric code and codeName so
// drivers and mongoose classify them exactly as they would a real server's.

export type Doc = Record<string, unknown>;

export class CommandError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
    readonly extra: Doc = {},
  ) {
    super(message);
    this.name = 'CommandError';
  }

  toReply(): Doc {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }
}

export const badValue = (msg: string) => new CommandError(2, 'BadValue', msg);
export const failedToParse = (msg: string) => new CommandError(9, 'FailedToParse', msg);
export const invalidOptions = (command: string, option: string) =>
  new CommandError(
    2,
    'BadValue',
    `the embedded store does not support option '${option}' of command '${command}'; ` +
      'drop the option or run against a real MongoDB (set MONGODB_URI)',
  );

/** Thrown when another live process holds the data directory's lock. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    /** The pid the owner wrote into store.lock (null if unreadable); in another pid namespace it names a process there. */
    readonly ownerPid: number | null,
  ) {
    super(
      `data directory ${dataDir} is in use by ${ownerPid === null ? 'another process' : `process ${ownerPid}`}; stop that process, ` +
        'or point DATA_DIR at another directory',
    );
    this.name = 'DataDirLockedError';
  }
}

/**
 * A journal record that cannot be read, with acknowledged records after it (or in a journal that
 * is not the last): replaying on past it would drop them, so start-up stops and says where.
 */
export class JournalDamagedError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
    readonly intactAfter: number | null,
  ) {
    super(
      `journal ${file} is damaged at byte ${offset} (${reason})` +
        (intactAfter === null ? ', before its end' : `; intact records follow from byte ${intactAfter}`) +
        '. Nothing was replayed past it and the file is left as it is, so no acknowledged write is dropped: ' +
        'restore the data directory from a backup, or copy it and cut the damaged record out by hand',
    );
    this.name = 'JournalDamagedError';
  }
}

/** A unique-index violation, reported with MongoDB's E11000 shape. */
export class DuplicateKeyError extends CommandError {
  constructor(ns: string, indexName: string, keyPattern: Doc, keyValue: Doc, rendered: string) {
    super(
      11000,
      'DuplicateKey',
      `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: ${rendered}`,
      { keyPattern, keyValue },
    );
  }
}
