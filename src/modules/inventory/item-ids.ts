/**
 * Item ids (bionet bioDB keys): `v-<uuid>` for virtuals, `p-<uuid>` for physicals. The uuid is a version 7
 * uuid (RFC 9562: milliseconds since the epoch, then random bits), so ids made one after another sort one
 * after another: inserts append to the primary-key and audit B-trees instead of landing on random
 * pages, which keeps large imports fast on both databases. Within one millisecond a 12-bit sequence keeps
 * the order strict.
 */
import { randomFillSync } from 'node:crypto';
import type { ItemClass } from './inventory.tables.js';

const POOL_IDS = 512;
const pool = Buffer.alloc(16 * POOL_IDS);
let poolOffset = pool.length;
let lastMs = 0;
let sequence = 0;

/** Where the next 16 random bytes start in the pool (refilled when used up). */
function randomBlock(): number {
  if (poolOffset >= pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += 16;
  return poolOffset - 16;
}

/** ASCII codes of the hex digits. */
const HEX_DIGITS = Array.from({ length: 16 }, (_, digit) => digit.toString(16).charCodeAt(0));
const DASH = 0x2d;
/** Where an id is written, as ASCII, before it becomes one string (a single allocation). */
const text = Buffer.alloc(38);

/**
 * `<prefix>-<version 7 uuid>`, strictly increasing within this process. Written into one buffer and read out
 * as one string, one allocation, because imports make ids by the hundred thousand (bench/README.md, Decisions).
 */
function prefixedUuidV7(prefix: 'v' | 'p'): string {
  const random = randomBlock();
  const randomByte = (index: number) => pool[random + index] ?? 0;
  let ms = Date.now();
  if (ms > lastMs) {
    lastMs = ms;
    sequence = randomByte(6) & 0x07; // start low so a burst has room to count up
  } else {
    sequence++;
    if (sequence > 0xfff) {
      lastMs++;
      sequence = 0;
    }
    ms = lastMs;
  }
  let at = 0;
  const byte = (value: number) => {
    text[at++] = HEX_DIGITS[(value >> 4) & 0xf] ?? 0;
    text[at++] = HEX_DIGITS[value & 0xf] ?? 0;
  };
  text[at++] = prefix.charCodeAt(0);
  text[at++] = DASH;
  // 48 bits of milliseconds, as two 24-bit halves (bit operators work on 32 bits).
  const high = Math.floor(ms / 0x1000000);
  const low = ms % 0x1000000;
  byte(high >> 16);
  byte(high >> 8);
  byte(high);
  byte(low >> 16);
  text[at++] = DASH;
  byte(low >> 8);
  byte(low);
  text[at++] = DASH;
  byte(0x70 | (sequence >> 8));
  byte(sequence);
  text[at++] = DASH;
  byte(0x80 | (randomByte(8) & 0x3f));
  byte(randomByte(9));
  text[at++] = DASH;
  for (let index = 10; index < 16; index++) byte(randomByte(index));
  return text.toString('latin1', 0, at);
}

/** A new item id for the class: `v-<uuid>` or `p-<uuid>`. */
export function newItemId(itemClass: ItemClass): string {
  return prefixedUuidV7(itemClass === 'virtual' ? 'v' : 'p');
}
