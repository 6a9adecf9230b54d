import { createHash } from 'node:crypto';

/**
 * SHA-256 of an API key, the digest the keys file stores.
 *
 * A plain hash is enough here, unlike for passwords: minted keys are 32 random bytes, so a
 * leaked digest cannot be reversed by guessing (2^256 candidates, no dictionary to try).
 * Slow KDFs (scrypt, argon2, bcrypt) exist to protect the low-entropy secrets people
 * choose; on a random key they add nothing but CPU time on every request, time any
 * caller without a key could make the gateway spend.
 */
export function apiKeyDigest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** The digest as the keys file writes it: 64 lowercase hex digits. */
export function hashApiKey(key: string): string {
  return apiKeyDigest(key).toString('hex');
}
