/**
 * Records kept in a JetStream key-value bucket, one JSON value per key, validated by a schema when
 * read back: a record this version cannot read is refused with a message (`load`) or left out of
 * a listing (`list`), never trusted.
 */
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import type { z } from 'zod';
import { jetStreamReplicas } from './config';

export class StoredRecordError extends Error {
  override name = 'StoredRecordError';
}

export interface RecordBucket<T> {
  put(id: string, record: T): Promise<void>;
  /** null when absent; throws StoredRecordError when the record fails its schema. */
  get(id: string): Promise<T | null>;
  /** Every record that passes its schema. */
  all(): Promise<T[]>;
}

export interface RecordBucketOptions<T> {
  bucket: string;
  /** Keys are `<prefix>.<id>`. */
  prefix: string;
  schema: z.ZodType<T>;
  /** What a record is, for error messages: "the stored result of <id>". */
  describe(id: string): string;
  /** What the schema accepts, for error messages: "version-1 sweep record". */
  accepts: string;
  /** Versions of a key kept; 1 when only the last value counts. */
  history?: number;
}

export async function openRecordBucket<T>(nc: NatsConnection, options: RecordBucketOptions<T>): Promise<RecordBucket<T>> {
  // `create` opens the bucket when it exists.
  const kv: KV = await new Kvm(nc).create(options.bucket, { history: options.history ?? 1, replicas: jetStreamReplicas() });
  const key = (id: string) => `${options.prefix}.${id}`;
  const decode = (id: string, text: string): T => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new StoredRecordError(`${options.describe(id)} is not JSON`);
    }
    const parsed = options.schema.safeParse(value);
    if (!parsed.success) throw new StoredRecordError(`${options.describe(id)} is not a ${options.accepts} (written by a newer sweep?)`);
    return parsed.data;
  };
  return {
    async put(id, record) {
      await kv.put(key(id), JSON.stringify(record));
    },
    async get(id) {
      const entry = await kv.get(key(id));
      if (!entry || entry.operation !== 'PUT') return null;
      return decode(id, entry.string());
    },
    async all() {
      const records: T[] = [];
      for await (const k of await kv.keys(`${options.prefix}.>`)) {
        const entry = await kv.get(k);
        if (!entry || entry.operation !== 'PUT') continue;
        try {
          records.push(decode(k.slice(options.prefix.length + 1), entry.string()));
        } catch {
          // Left out of the listing; loading it by id names the problem.
        }
      }
      return records;
    },
  };
}
