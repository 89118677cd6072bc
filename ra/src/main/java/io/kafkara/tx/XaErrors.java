package io.kafkara.tx;

import java.util.Map;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;

/** XA error codes by name, and exceptions that carry both the code and a message saying what happened. */
public final class XaErrors {

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(XAResource.XA_OK, "XA_OK"),
            Map.entry(XAResource.XA_RDONLY, "XA_RDONLY"),
            Map.entry(XAException.XA_RBROLLBACK, "XA_RBROLLBACK"),
            Map.entry(XAException.XA_RBTIMEOUT, "XA_RBTIMEOUT"),
            Map.entry(XAException.XA_RBINTEGRITY, "XA_RBINTEGRITY"),
            Map.entry(XAException.XA_HEURRB, "XA_HEURRB"),
            Map.entry(XAException.XA_HEURCOM, "XA_HEURCOM"),
            Map.entry(XAException.XA_HEURHAZ, "XA_HEURHAZ"),
            Map.entry(XAException.XA_HEURMIX, "XA_HEURMIX"),
            Map.entry(XAException.XAER_NOTA, "XAER_NOTA"),
            Map.entry(XAException.XAER_PROTO, "XAER_PROTO"),
            Map.entry(XAException.XAER_INVAL, "XAER_INVAL"),
            Map.entry(XAException.XAER_RMFAIL, "XAER_RMFAIL"),
            Map.entry(XAException.XAER_RMERR, "XAER_RMERR"),
            Map.entry(XAException.XAER_DUPID, "XAER_DUPID"),
            Map.entry(XAException.XAER_OUTSIDE, "XAER_OUTSIDE"));

    private XaErrors() {
    }

    /** The constant's name, e.g. "XAER_NOTA" for -4 (XA_OK is 0 and XA_RDONLY is 3: return codes share the map). */
    static String name(int code) {
        return NAMES.getOrDefault(code, "XA(" + code + ")");
    }

    /** An XAException with the code and a message that starts with the code's name. */
    public static XAException xa(int code, String message) {
        XAException e = new XAException(name(code) + ": " + message);
        e.errorCode = code;
        return e;
    }

    /** As {@link #xa(int, String)}, with the underlying cause. */
    public static XAException xa(int code, String message, Throwable cause) {
        XAException e = xa(code, message + ": " + cause);
        e.initCause(cause);
        return e;
    }
}
