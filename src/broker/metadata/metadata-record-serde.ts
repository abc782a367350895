import { ByteReader } from '../protocol/primitives/byte-reader.js';
import { ByteWriter } from '../protocol/primitives/byte-writer.js';
import { inRange, parseVersionRange } from '../protocol/schema/message-schema.js';
import type { RecordSerde } from '../raft/raft-client.js';
import { METADATA_RECORD_CODECS, metadataRecordType } from './metadata-records.js';
import type { MetadataRecord } from './metadata-records.js';

/** Kafka's `AbstractApiMessageSerde.DEFAULT_FRAME_VERSION`; frame version 0 was the 2.8 KRaft preview. */
const FRAME_VERSION = 1;

/** A metadata record's bytes that cannot be read (Kafka's `MetadataParseException`). */
export class MetadataParseError extends Error {
  override readonly name = 'MetadataParseError';
}

/**
 * How a metadata record is stored as the value of one record in `__cluster_metadata` (Kafka's
 * `MetadataRecordSerde`): unsigned varints frame version 1, the record's api key and its version, then the
 * record in its flexible encoding. The Raft layer stores what `write` returns and hands `read` the same bytes.
 *
 * Stateless; one shared instance.
 */
export class MetadataRecordSerde implements RecordSerde<MetadataRecord> {
  static readonly INSTANCE = new MetadataRecordSerde();

  write(record: MetadataRecord): Buffer {
    const { apiKey, version: latest, versionFor, codec } = METADATA_RECORD_CODECS[record.type];
    const version = versionFor?.(record) ?? latest;
    const writer = new ByteWriter();
    writer.writeUVarint(FRAME_VERSION).writeUVarint(apiKey).writeUVarint(version);
    codec.write(version, record, writer);
    return writer.toBuffer();
  }

  read(bytes: Buffer): MetadataRecord {
    const reader = new ByteReader(bytes);
    try {
      const frameVersion = reader.readUVarint();
      if (frameVersion !== FRAME_VERSION)
        throw new MetadataParseError(`metadata record frame version ${frameVersion}; only ${FRAME_VERSION} is known`);
      const apiKey = reader.readUVarint();
      const version = reader.readUVarint();
      const type = metadataRecordType(apiKey);
      if (!type) throw new MetadataParseError(`metadata record type ${apiKey} is not one kq replays`);
      const { codec, versionFor } = METADATA_RECORD_CODECS[type];
      if (!codec.supports(version)) throw new MetadataParseError(`${type} v${version} is not supported`);
      const body = codec.decode(version, reader) as Record<string, unknown>;
      // A record written at an older version than kq's newest (PartitionRecord v0 beside v2) leaves out the newer
      // fields rather than carry their defaults, so it reads back as it was written.
      if (versionFor)
        for (const field of codec.schema.fields)
          if (!inRange(parseVersionRange(field.versions), version)) delete body[field.name];
      return { ...body, type } as MetadataRecord;
    } catch (error) {
      if (error instanceof MetadataParseError) throw error;
      throw new MetadataParseError(`metadata record does not decode: ${(error as Error).message}`);
    }
  }
}
