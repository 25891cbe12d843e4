import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt (node's `crypto.scrypt`, no native add-on).
 *
 * A hash is stored as a PHC-style string that carries everything needed to check it later:
 *
 * ```
 * $scrypt$ln=15,r=8,p=1$<salt, base64>$<derived key, base64>
 * ```
 *
 * `ln` is log2 of the CPU/memory cost N. Because the parameters travel with the hash, raising
 * them later only affects new hashes; old ones keep verifying.
 *
 * Cost: N = 2^15, r = 8 uses 32 MiB and about 0.1 s per hash on a small server. That is the
 * deliberate middle ground between brute-force resistance and memory per concurrent login
 * (OWASP's 2^17 would need 128 MiB per attempt, which turns a login burst into a memory DoS);
 * login rate limiting covers the rest.
 */
export interface ScryptParams {
  /** log2 of N (CPU/memory cost). */
  ln: number;
  /** Block size. */
  r: number;
  /** Parallelization. */
  p: number;
}

export const DEFAULT_SCRYPT_PARAMS: Readonly<ScryptParams> = { ln: 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Stored parameters above these are refused (a tampered hash must not make us allocate gigabytes). */
const MAX_LN = 20;
const MAX_R = 32;
const MAX_P = 16;

const HASH_PATTERN = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** Hashes `password` with a fresh random salt. */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, params);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

/**
 * True when `password` matches `stored`. The comparison is constant-time; a malformed or
 * unsupported `stored` string is simply `false` (never a throw that could tell callers apart).
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.key.length, parsed.params);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** True for a string `verifyPassword` can check (the format, not the password). */
export function isPasswordHash(value: string): boolean {
  return parseHash(value) !== null;
}

let dummy: Promise<string> | undefined;

/**
 * A hash of a random password with the default parameters, computed once. Login verifies against
 * it when the username does not exist, so "no such user" costs the same time as "wrong password"
 * and response times do not reveal which usernames exist.
 */
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(24).toString('base64'));
  return dummy;
}

function parseHash(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const m = HASH_PATTERN.exec(stored);
  if (!m) return null;
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (params.ln < 1 || params.ln > MAX_LN || params.r < 1 || params.r > MAX_R || params.p < 1 || params.p > MAX_P) {
    return null;
  }
  const salt = Buffer.from(m[4]!, 'base64');
  const key = Buffer.from(m[5]!, 'base64');
  if (salt.length < 8 || key.length < 16) return null;
  return { params, salt, key };
}

function derive(password: string, salt: Buffer, keyLength: number, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.ln;
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 128 * N * params.r * params.p + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function b64(buffer: Buffer): string {
  return buffer.toString('base64').replace(/=+$/, '');
}
