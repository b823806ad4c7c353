// Lock tokens only have to be unique among holders of one key: a random prefix per process
// (so two processes never collide) and a counter per lock. A UUID per turn cost a crypto call
// and 36 bytes each time for no extra safety.
import { randomBytes } from 'node:crypto';

const PROCESS = randomBytes(9).toString('base64url');
let counter = 0;

export function lockToken(): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${PROCESS}${counter.toString(36)}`;
}
