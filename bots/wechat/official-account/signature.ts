// WeChat signs every push with sha1 over the sorted (token, timestamp, nonce[, Encrypt]) strings.
// Comparing in constant time keeps a forger from learning the signature byte by byte.
import { createHash, timingSafeEqual } from 'node:crypto';

export function wechatSignature(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

export function signatureMatches(expected: string, given: string | null | undefined): boolean {
  if (!given || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(given.toLowerCase()));
}
