// Refusals a person can read. Every service error carries a code for programs and a Chinese
// message for people; channels show `message` as it is.

export type DeskErrorCode =
  | 'not_found'
  | 'invalid_input'
  | 'forbidden'
  | 'conflict'
  | 'illegal_transition'
  | 'unavailable';

export class DeskError extends Error {
  constructor(
    readonly code: DeskErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DeskError';
  }
}

export class NotFoundError extends DeskError {
  constructor(what: string, key: string) {
    super('not_found', `找不到${what}“${String(key).slice(0, 60)}”。请核对后重试。`, { what, key });
    this.name = 'NotFoundError';
  }
}

export class InvalidInputError extends DeskError {
  constructor(field: string, message: string) {
    super('invalid_input', message, { field });
    this.name = 'InvalidInputError';
  }
}

export class ConflictError extends DeskError {
  constructor(caseNumber: string, expected: number, actual: number) {
    super(
      'conflict',
      `案件 ${caseNumber} 已被他人更新（您看到的是第 ${expected} 版，当前为第 ${actual} 版）。请刷新后再操作。`,
      { caseNumber, expected, actual },
    );
    this.name = 'ConflictError';
  }
}
