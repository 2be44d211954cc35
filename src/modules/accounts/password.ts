/** Password hashing with argon2id (@node-rs/argon2: prebuilt, no install scripts). */
import { hash, verify, type Options } from '@node-rs/argon2';

// algorithm 2 is Argon2id (a const enum in the package's types, not importable under verbatimModuleSyntax).
const OPTIONS: Options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };

// Verified against when the user does not exist, so that a miss costs as long as a wrong password.
const DUMMY_HASH = hash('not-a-real-password', OPTIONS);

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash ?? (await DUMMY_HASH), password);
  } catch {
    return false;
  }
}
