package io.montage.worker.fetch;

import java.net.SocketTimeoutException;
import java.time.Duration;

/** The instant a whole fetch must be done by, redirects included, handed out as each hop's call timeout. */
record Deadline(long nanoTime) {

    static Deadline after(Duration timeout) {
        return new Deadline(System.nanoTime() + timeout.toNanos());
    }

    boolean passed() {
        return nanoTime - System.nanoTime() <= 0;
    }

    /** @throws SocketTimeoutException once nothing is left (a call timeout of 0 would mean no timeout at all) */
    long remainingNanos() throws SocketTimeoutException {
        long left = nanoTime - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("the deadline has passed");
        }
        return left;
    }
}
