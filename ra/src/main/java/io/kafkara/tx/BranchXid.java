package io.kafkara.tx;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

import javax.transaction.xa.Xid;

/**
 * An Xid as a value: equality by format id, global transaction id and branch qualifier (transaction managers hand in
 * Xids of their own classes, which need not compare equal), and a stable byte encoding for the branch journal.
 */
public final class BranchXid implements Xid {

    private final int formatId;
    private final byte[] globalTransactionId;
    private final byte[] branchQualifier;

    private BranchXid(int formatId, byte[] globalTransactionId, byte[] branchQualifier) {
        if (globalTransactionId.length > MAXGTRIDSIZE || branchQualifier.length > MAXBQUALSIZE) {
            throw new IllegalArgumentException("Xid parts too long: gtrid " + globalTransactionId.length
                    + " bytes (max " + MAXGTRIDSIZE + "), bqual " + branchQualifier.length + " bytes (max "
                    + MAXBQUALSIZE + ")");
        }
        this.formatId = formatId;
        this.globalTransactionId = globalTransactionId.clone();
        this.branchQualifier = branchQualifier.clone();
    }

    /** A value copy of any Xid. */
    static BranchXid of(Xid xid) {
        if (xid instanceof BranchXid value) {
            return value;
        }
        return new BranchXid(xid.getFormatId(), xid.getGlobalTransactionId(), xid.getBranchQualifier());
    }

    static BranchXid of(int formatId, byte[] globalTransactionId, byte[] branchQualifier) {
        return new BranchXid(formatId, globalTransactionId, branchQualifier);
    }

    /** formatId (4 bytes), gtrid length (1), gtrid, bqual length (1), bqual. */
    byte[] encode() {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 1 + globalTransactionId.length + 1 + branchQualifier.length);
        buffer.putInt(formatId).put((byte) globalTransactionId.length).put(globalTransactionId)
                .put((byte) branchQualifier.length).put(branchQualifier);
        return buffer.array();
    }

    /** The inverse of {@link #encode()}. */
    static BranchXid decode(byte[] encoded) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(encoded);
            int formatId = buffer.getInt();
            byte[] gtrid = new byte[buffer.get() & 0xff];
            buffer.get(gtrid);
            byte[] bqual = new byte[buffer.get() & 0xff];
            buffer.get(bqual);
            if (buffer.hasRemaining()) {
                throw new IllegalArgumentException(buffer.remaining() + " trailing bytes");
            }
            return new BranchXid(formatId, gtrid, bqual);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Not an encoded Xid (" + encoded.length + " bytes): " + e.getMessage(),
                    e);
        }
    }

    @Override
    public int getFormatId() {
        return formatId;
    }

    @Override
    public byte[] getGlobalTransactionId() {
        return globalTransactionId.clone();
    }

    @Override
    public byte[] getBranchQualifier() {
        return branchQualifier.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BranchXid other && formatId == other.formatId
                && Arrays.equals(globalTransactionId, other.globalTransactionId)
                && Arrays.equals(branchQualifier, other.branchQualifier);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * formatId + Arrays.hashCode(globalTransactionId)) + Arrays.hashCode(branchQualifier);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "Xid[" + formatId + ":" + hex.formatHex(globalTransactionId) + ":" + hex.formatHex(branchQualifier)
                + "]";
    }
}
