package io.kafkara.tx;

import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an Xid as an operator copies it from the in-doubt listing: {@code Xid[formatId:gtridHex:bqualHex]} (the form
 * {@link BranchXid#toString()} prints and log lines show) or just {@code formatId:gtridHex:bqualHex}.
 */
public final class XidText {

    private static final Pattern FORM = Pattern.compile("(?:Xid\\[)?(-?\\d{1,10}):([0-9a-fA-F]*):([0-9a-fA-F]*)]?");

    private XidText() {
    }

    /** The Xid; an IllegalArgumentException naming the expected form when the text is not one. */
    static BranchXid parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        Matcher m = FORM.matcher(trimmed);
        if (!m.matches() || m.group(2).length() % 2 != 0 || m.group(3).length() % 2 != 0) {
            throw new IllegalArgumentException("Not an Xid: '" + trimmed + "'. Give it as the in-doubt listing shows "
                    + "it: Xid[formatId:globalTransactionIdHex:branchQualifierHex], e.g. Xid[131077:0a1b:2c3d]");
        }
        try {
            HexFormat hex = HexFormat.of();
            return BranchXid.of(Integer.parseInt(m.group(1)), hex.parseHex(m.group(2)), hex.parseHex(m.group(3)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not an Xid: '" + trimmed + "': the format id " + m.group(1)
                    + " is not a 32-bit integer", e);
        }
    }
}
