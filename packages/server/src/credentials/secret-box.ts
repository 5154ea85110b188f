import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { keyFingerprint } from '../config/shared-keys';

/** A sealed secret: AES-256-GCM, with the id of the key that sealed it (for rotation). */
export interface Sealed {
  keyId: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

/**
 * Encrypts secrets at rest with AES-256-GCM. The key comes from `ORDO_SECRET_KEY` or, when it
 * is not set, from a key file generated in the data dir with 0600 permissions. Each record
 * names its key (`keyId`), so a record sealed under another key is refused by name rather than
 * decrypted into garbage.
 */
export class SecretBox {
  readonly keyId: string;
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHash('sha256').update(secret).digest();
    this.keyId = createHash('sha256').update(this.key).digest('hex').slice(0, 12);
  }

  /** The box for the configured key, or the data dir's key file (created on first use). */
  static fromConfig(secretKey: string | undefined, dataDir: string): SecretBox {
    if (secretKey) return new SecretBox(secretKey);
    const file = path.join(dataDir, 'secret.key');
    if (!existsSync(file)) {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
      chmodSync(file, 0o600);
    }
    return new SecretBox(readFileSync(file, 'utf8').trim());
  }

  /** An HMAC of a fixed label under the key: tells keys apart without revealing one. */
  fingerprint(): string {
    return keyFingerprint(this.key);
  }

  seal(plain: string): Sealed {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return {
      keyId: this.keyId,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ciphertext: ciphertext.toString('base64'),
    };
  }

  open(sealed: Sealed): string {
    if (sealed.keyId !== this.keyId)
      throw new Error(
        `This secret was sealed with key ${sealed.keyId}, but the server runs with key ${this.keyId}: set ORDO_SECRET_KEY to the key it was stored with, or store it again`,
      );
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([
      decipher.update(Buffer.from(sealed.ciphertext, 'base64')),
      decipher.final(),
    ]).toString('utf8');
  }
}
