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

function randomBlock(): Buffer {
  if (poolOffset >= pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const block = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  return block;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** A version 7 uuid, strictly increasing within this process. */
export function uuidV7(): string {
  const random = randomBlock();
  let ms = Date.now();
  if (ms > lastMs) {
    lastMs = ms;
    sequence = (random[6] ?? 0) & 0x07; // start low so a burst has room to count up
  } else {
    sequence++;
    if (sequence > 0xfff) {
      lastMs++;
      sequence = 0;
    }
    ms = lastMs;
  }
  const time = ms.toString(16).padStart(12, '0');
  const hex = (index: number) => HEX[random[index] ?? 0] ?? '00';
  return (
    `${time.slice(0, 8)}-${time.slice(8)}-${HEX[0x70 | (sequence >> 8)]}${HEX[sequence & 0xff]}-` +
    `${HEX[0x80 | ((random[8] ?? 0) & 0x3f)]}${hex(9)}-${hex(10)}${hex(11)}${hex(12)}${hex(13)}${hex(14)}${hex(15)}`
  );
}

/** A new item id for the class: `v-<uuid>` or `p-<uuid>`. */
export function newItemId(itemClass: ItemClass): string {
  return `${itemClass === 'virtual' ? 'v' : 'p'}-${uuidV7()}`;
}
