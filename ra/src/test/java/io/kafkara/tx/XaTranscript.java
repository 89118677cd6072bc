package io.kafkara.tx;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * Drives XAResources as a transaction manager would and records every call and its result as one compact line:
 * {@code start(x1) end(x1,SUCCESS) prepare(x1)=XA_OK commit(x1,2pc)=OK}; a call that throws is recorded as
 * {@code prepare(x1)->XA_RBROLLBACK}. Xids are named by their global transaction id ("x1").
 */
final class XaTranscript {

    @FunctionalInterface
    interface XaCall {
        String run() throws XAException;
    }

    private final List<String> entries = new ArrayList<>();
    private final Map<String, XAException> failures = new LinkedHashMap<>();

    static BranchXid xid(String name) {
        return BranchXid.of(0x4b41, name.getBytes(StandardCharsets.UTF_8), "b".getBytes(StandardCharsets.UTF_8));
    }

    static String name(Xid xid) {
        return new String(xid.getGlobalTransactionId(), StandardCharsets.UTF_8);
    }

    XaTranscript start(XAResource xa, String x, int flags) {
        return call("start(" + x + flagName(flags, XAResource.TMNOFLAGS) + ")", () -> {
            xa.start(xid(x), flags);
            return null;
        });
    }

    XaTranscript start(XAResource xa, String x) {
        return start(xa, x, XAResource.TMNOFLAGS);
    }

    XaTranscript end(XAResource xa, String x, int flags) {
        return call("end(" + x + "," + flagName(flags, -1).substring(1) + ")", () -> {
            xa.end(xid(x), flags);
            return null;
        });
    }

    XaTranscript prepare(XAResource xa, String x) {
        return call("prepare(" + x + ")", () -> XaErrors.name(xa.prepare(xid(x))));
    }

    XaTranscript commit(XAResource xa, String x, boolean onePhase) {
        return call("commit(" + x + "," + (onePhase ? "1pc" : "2pc") + ")", () -> {
            xa.commit(xid(x), onePhase);
            return "OK";
        });
    }

    XaTranscript rollback(XAResource xa, String x) {
        return call("rollback(" + x + ")", () -> {
            xa.rollback(xid(x));
            return "OK";
        });
    }

    XaTranscript forget(XAResource xa, String x) {
        return call("forget(" + x + ")", () -> {
            xa.forget(xid(x));
            return "OK";
        });
    }

    XaTranscript recover(XAResource xa, int flags) {
        return call("recover(" + flagName(flags, XAResource.TMNOFLAGS).replaceFirst("^,", "") + ")",
                () -> Arrays.stream(xa.recover(flags)).map(XaTranscript::name)
                        .collect(Collectors.joining(",", "[", "]")));
    }

    /** Runs a step of the test's own (a send, a broker answer) as a named transcript entry. */
    XaTranscript note(String entry, Runnable action) {
        action.run();
        entries.add(entry);
        return this;
    }

    /** The XAException of the first call recorded with this label (for message checks). */
    XAException failure(String label) {
        return failures.get(label);
    }

    @Override
    public String toString() {
        return String.join(" ", entries);
    }

    private XaTranscript call(String label, XaCall call) {
        try {
            String result = call.run();
            entries.add(result == null ? label : label + "=" + result);
        } catch (XAException e) {
            entries.add(label + "->" + XaErrors.name(e.errorCode));
            failures.putIfAbsent(label, e);
        }
        return this;
    }

    private static String flagName(int flags, int silent) {
        if (flags == silent) {
            return "";
        }
        return switch (flags) {
            case XAResource.TMNOFLAGS -> ",NOFLAGS";
            case XAResource.TMJOIN -> ",JOIN";
            case XAResource.TMRESUME -> ",RESUME";
            case XAResource.TMSUCCESS -> ",SUCCESS";
            case XAResource.TMFAIL -> ",FAIL";
            case XAResource.TMSUSPEND -> ",SUSPEND";
            case XAResource.TMSTARTRSCAN -> ",START";
            case XAResource.TMENDRSCAN -> ",END";
            case XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN -> ",START|END";
            default -> "," + flags;
        };
    }
}
