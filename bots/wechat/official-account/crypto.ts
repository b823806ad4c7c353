// Safe mode (安全模式): the push body carries <Encrypt>, AES-256-CBC under the 43-character
// EncodingAESKey (base64 of the 32-byte key, "=" omitted), IV = first 16 key bytes, PKCS#7
// padding to 32-byte blocks. The plaintext is 16 random bytes, the message length (4 bytes,
// big-endian), the message, then the AppID, which we check: a push for another account is refused.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const BLOCK = 32;

export class OaCryptoError extends Error {
  override name = 'OaCryptoError';
}

export interface OaCrypto {
  decrypt(encrypted: string): string;
  encrypt(message: string): string;
}

export function aesKeyFrom(encodingAesKey: string): Buffer {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (encodingAesKey.length !== 43 || key.length !== 32)
    throw new OaCryptoError('WECHAT_OA_AES_KEY must be the 43-character EncodingAESKey from the Official Account console');
  return key;
}

export function createOaCrypto(encodingAesKey: string, appId: string): OaCrypto {
  const key = aesKeyFrom(encodingAesKey);
  const iv = key.subarray(0, 16);
  return {
    decrypt(encrypted) {
      let plain: Buffer;
      try {
        const d = createDecipheriv('aes-256-cbc', key, iv);
        d.setAutoPadding(false);
        plain = Buffer.concat([d.update(Buffer.from(encrypted, 'base64')), d.final()]);
      } catch {
        throw new OaCryptoError('undecryptable push');
      }
      const pad = plain.at(-1) ?? 0;
      if (pad < 1 || pad > BLOCK || plain.length < 20 + pad) throw new OaCryptoError('bad padding');
      const body = plain.subarray(16, plain.length - pad);
      const len = body.readUInt32BE(0);
      if (4 + len > body.length) throw new OaCryptoError('bad length');
      const from = body.subarray(4 + len).toString('utf8');
      if (from !== appId) throw new OaCryptoError('push for another AppID');
      return body.subarray(4, 4 + len).toString('utf8');
    },
    encrypt(message) {
      const msg = Buffer.from(message, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(msg.length, 0);
      const raw = Buffer.concat([randomBytes(16), len, msg, Buffer.from(appId, 'utf8')]);
      const pad = BLOCK - (raw.length % BLOCK);
      const c = createCipheriv('aes-256-cbc', key, iv);
      c.setAutoPadding(false);
      return Buffer.concat([c.update(Buffer.concat([raw, Buffer.alloc(pad, pad)])), c.final()]).toString('base64');
    },
  };
}
