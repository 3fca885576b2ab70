package io.montage.attack.probe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a probe's reply must be, beyond the rules every reply obeys (no 5xx, problem JSON on 4xx, no internals):
 * refused with any 4xx, a prescribed status (and code), a success, or any of those. A success that submitted a
 * job carries the {@link JobOutcome} the job must reach.
 */
public record Expect(Kind kind, Set<Integer> statuses, String code, Duration within, List<Rule> rules,
                     JobOutcome job, boolean closeAllowed) {

    public enum Kind { REFUSED, STATUS, SUCCESS, ANY }

    public Expect {
        rules = List.copyOf(rules);
    }

    /** Any 4xx problem. */
    public static Expect refused() {
        return new Expect(Kind.REFUSED, Set.of(), null, null, List.of(), null, false);
    }

    /** Any 4xx problem, or the connection closed without an answer (for bytes that are no HTTP request at all). */
    public static Expect refusedOrClosed() {
        return refused().orClosed();
    }

    /** Or the connection closed without an answer. */
    public Expect orClosed() {
        return new Expect(kind, statuses, code, within, rules, job, true);
    }

    /** Exactly this status (one of these, when several are given). */
    public static Expect status(Integer... statuses) {
        return new Expect(Kind.STATUS, Set.of(statuses), null, null, List.of(), null, false);
    }

    /** Exactly this status and problem code. */
    public static Expect problem(int status, String code) {
        return new Expect(Kind.STATUS, Set.of(status), code, null, List.of(), null, false);
    }

    /** A 2xx. */
    public static Expect success() {
        return new Expect(Kind.SUCCESS, Set.of(), null, null, List.of(), null, false);
    }

    /** A 2xx or a 4xx problem: the server may take it or refuse it, as long as it does so cleanly. */
    public static Expect any() {
        return new Expect(Kind.ANY, Set.of(), null, null, List.of(), null, false);
    }

    /** And, when the reply is a 4xx, this problem code. */
    public Expect code(String problemCode) {
        return new Expect(kind, statuses, problemCode, within, rules, job, closeAllowed);
    }

    /** And answered within this time (no queueing). */
    public Expect within(Duration limit) {
        return new Expect(kind, statuses, code, limit, rules, job, closeAllowed);
    }

    public Expect and(String name, java.util.function.Predicate<io.montage.attack.http.Reply> holds) {
        List<Rule> more = new ArrayList<>(rules);
        more.add(new Rule(name, holds));
        return new Expect(kind, statuses, code, within, more, job, closeAllowed);
    }

    /** And, if accepted, the job it created must come to this. */
    public Expect job(JobOutcome outcome) {
        return new Expect(kind, statuses, code, within, rules, outcome, closeAllowed);
    }

    public String describe() {
        String what = switch (kind) {
            case REFUSED -> "a 4xx";
            case STATUS -> statuses.size() == 1 ? String.valueOf(statuses.iterator().next()) : "one of " + statuses;
            case SUCCESS -> "a 2xx";
            case ANY -> "a 2xx or 4xx";
        };
        return (code == null ? what : what + " " + code) + (closeAllowed ? " or a close" : "");
    }
}
