package io.kafkara.tx;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.kafkara.engine.ProducerIdentity;

/**
 * The journal record of a prepared branch: key = the encoded Xid, value = version (1 byte), transactional id (2-byte
 * length + UTF-8), producer id (8), epoch (2), prepared time in ms (8). A null value (tombstone) ends the branch.
 */
final class BranchRecordCodec {

    private static final byte VERSION = 1;

    private BranchRecordCodec() {
    }

    static byte[] key(BranchXid xid) {
        return xid.encode();
    }

    static byte[] value(PreparedBranch branch) {
        byte[] id = branch.transactionalId().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 2 + id.length + 8 + 2 + 8).put(VERSION).putShort((short) id.length).put(id)
                .putLong(branch.producer().producerId()).putShort(branch.producer().epoch())
                .putLong(branch.preparedAtMs()).array();
    }

    static PreparedBranch decode(byte[] key, byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        byte version = buffer.get();
        if (version != VERSION) {
            throw new IllegalArgumentException("Branch journal record of unknown version " + version
                    + " (this adapter writes version " + VERSION + ")");
        }
        byte[] id = new byte[buffer.getShort()];
        buffer.get(id);
        ProducerIdentity producer = new ProducerIdentity(buffer.getLong(), buffer.getShort());
        return new PreparedBranch(BranchXid.decode(key), new String(id, StandardCharsets.UTF_8), producer,
                buffer.getLong());
    }
}
