package io.kafkara.it.faults;

/** The broker faults one scenario injected, each one proven to have taken effect before it counts. */
final class FaultCount {

    private int leaderKills;
    private int restarts;
    private int freezes;

    void killed() {
        leaderKills++;
    }

    void restarted() {
        restarts++;
    }

    void froze() {
        freezes++;
    }

    int brokerKills() {
        return leaderKills;
    }

    @Override
    public String toString() {
        return leaderKills + " leader kill(s) (SIGKILL, then restart), " + restarts + " broker restart(s) one after "
                + "another, " + freezes + " freeze(s) of a leader (SIGSTOP beyond the request timeout, then SIGCONT)";
    }
}
