import { createHmac } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { VC_V2_CONTEXT } from './document-loader.js';
import { vcDateTime } from './vc-time.js';

/**
 * W3C Bitstring Status List v1.0. 131,072 entries (16 KB) is the spec's minimum for herd
 * privacy: fetching the list tells the issuer nothing about which credential is being checked.
 */
export const STATUS_LIST_LENGTH = 131_072;
export const STATUS_LIST_BYTES = STATUS_LIST_LENGTH / 8;
export type StatusPurpose = 'revocation';

/** A credential's place in a list: which list, and its index there. */
export interface StatusEntry {
  listId: number;
  index: number;
}

/** Where the lists are published: the list's number follows. */
export const statusListPrefix = (publicBaseUrl: string) => `${publicBaseUrl}/credentials/status/`;
export const statusListUrl = (publicBaseUrl: string, listId: number) =>
  `${statusListPrefix(publicBaseUrl)}${listId}`;

/** The `credentialStatus` of a credential (its id must differ from the list's, hence the fragment). */
export function statusListEntry(publicBaseUrl: string, entry: StatusEntry) {
  const list = statusListUrl(publicBaseUrl, entry.listId);
  return {
    id: `${list}#${entry.index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation' as StatusPurpose,
    statusListIndex: String(entry.index),
    statusListCredential: list,
  };
}

/** The unsigned status list credential: the whole list, GZIP then multibase base64url. */
export function statusListCredential(
  publicBaseUrl: string,
  listId: number,
  bits: Uint8Array,
  issuer: { id: string; name: string },
  validFrom: Date,
) {
  const id = statusListUrl(publicBaseUrl, listId);
  return {
    '@context': [VC_V2_CONTEXT],
    id,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: { id: issuer.id, name: issuer.name },
    validFrom: vcDateTime(validFrom),
    credentialSubject: {
      id: `${id}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation' as StatusPurpose,
      encodedList: encodeList(bits),
    },
  };
}

export const encodeList = (bits: Uint8Array) => `u${gzipSync(bits).toString('base64url')}`;

/** Decodes an `encodedList`; throws on anything but multibase base64url of a GZIP stream. */
export function decodeList(encoded: string): Buffer {
  if (!encoded.startsWith('u')) throw new Error('encodedList is not multibase base64url (no leading "u")');
  return gunzipSync(Buffer.from(encoded.slice(1), 'base64url'), { maxOutputLength: 16 * 1024 * 1024 });
}

/** Index 0 is the first (most significant) bit of the first byte. */
export const statusBit = (bits: Uint8Array, index: number) =>
  index >= 0 && index < bits.length * 8 && ((bits[index >> 3] >> (7 - (index & 7))) & 1) === 1;

/**
 * PostgreSQL's `set_bit` numbers bits from the least significant within each byte: the position
 * of list index `index` for `set_bit(bits, position, 1)`.
 */
export const pgBitPosition = (index: number) => (index & ~7) + (7 - (index & 7));

/**
 * The list index of the n-th credential put on a list: a keyed permutation of [0, 131072), so
 * indexes are unique with no lookup and say nothing about issue order to anyone without the
 * list's key. An 18-bit Feistel network (HMAC-SHA-256 rounds) walked until it lands in range.
 */
export function permutedIndex(position: number, key: Uint8Array): number {
  if (!Number.isInteger(position) || position < 0 || position >= STATUS_LIST_LENGTH) {
    throw new RangeError(`status list position ${position} is outside the list`);
  }
  let x = position;
  do x = feistel18(x, key);
  while (x >= STATUS_LIST_LENGTH);
  return x;
}

const HALF_BITS = 9;
const HALF_MASK = (1 << HALF_BITS) - 1;
const ROUNDS = 8;

function feistel18(x: number, key: Uint8Array): number {
  let left = x >> HALF_BITS;
  let right = x & HALF_MASK;
  for (let round = 0; round < ROUNDS; round++) {
    const f = createHmac('sha256', key).update(`${round}:${right}`).digest().readUInt16BE(0) & HALF_MASK;
    [left, right] = [right, left ^ f];
  }
  return (left << HALF_BITS) | right;
}
