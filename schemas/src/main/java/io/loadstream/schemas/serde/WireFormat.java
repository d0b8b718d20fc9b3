package io.loadstream.schemas.serde;

/**
 * The Confluent wire format: one magic byte 0, the schema id as a 4-byte big-endian integer, then
 * the Avro binary encoding of the record.
 */
public final class WireFormat {
    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {}

    /** The registry subject of a topic's keys or values (Confluent's TopicNameStrategy). */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    /** The header of a record written with schema {@code id}: the magic byte and the id. */
    public static byte[] header(int id) {
        return new byte[] {
            MAGIC_BYTE, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id
        };
    }

    /** The schema id of a wire-format record; the caller has checked the header is there. */
    public static int schemaId(byte[] record) {
        return ((record[1] & 0xff) << 24)
                | ((record[2] & 0xff) << 16)
                | ((record[3] & 0xff) << 8)
                | (record[4] & 0xff);
    }
}
