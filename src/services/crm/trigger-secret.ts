import { createHash, randomBytes } from 'node:crypto';

/** The secret the Salesforce Flow / Outbound Message presents; only its hash is stored. */
export function newTriggerSecret(): string {
  return `sftrg_${randomBytes(24).toString('base64url')}`;
}

export function hashTriggerSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A hash no presented secret will match (used to void the secret on disconnect). */
export function unguessableTriggerSecretHash(): string {
  return hashTriggerSecret(randomBytes(32).toString('hex'));
}
