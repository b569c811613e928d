import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12; // the GCM standard nonce size

/**
 * Encrypts secrets stored at rest (Salesforce client secrets and tokens) with AES-256-GCM.
 * The key is derived with HKDF from `config.secretsEncryptionKey`, so any sufficiently long configured
 * string works, and a different purpose (`info`) would yield an unrelated key. Each value is bound to
 * where it is stored (`context`, used as additional authenticated data): a ciphertext copied into
 * another row or column fails to decrypt instead of silently becoming that row's secret.
 *
 * Stored format: `v1.<iv>.<tag>.<ciphertext>` (base64url parts).
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secretsEncryptionKey: string) {
    if (!secretsEncryptionKey || secretsEncryptionKey.length < 32) {
      throw new Error('SecretBox needs a secretsEncryptionKey of at least 32 characters');
    }
    this.key = Buffer.from(
      hkdfSync('sha256', Buffer.from(secretsEncryptionKey, 'utf8'), 'tally', 'secret-box:v1', 32),
    );
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv, tag, ciphertext]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  open(sealed: string, context: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || ciphertext === undefined) {
      throw new Error('Not a value sealed by this SecretBox version');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}
