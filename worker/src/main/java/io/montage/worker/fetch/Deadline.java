package io.montage.worker.fetch;

import java.net.SocketTimeoutException;
import java.time.Duration;

/** The instant a whole fetch must be done by, handed out as the socket timeouts that enforce it. */
record Deadline(long nanoTime) {

    static Deadline after(Duration timeout) {
        return new Deadline(System.nanoTime() + timeout.toNanos());
    }

    boolean passed() {
        return nanoTime - System.nanoTime() <= 0;
    }

    /**
     * What is left, as a socket timeout: whole milliseconds rounded up, so a read that times out has used it all.
     *
     * @throws SocketTimeoutException once nothing is left (a socket would read 0 as no timeout at all)
     */
    int remainingMillis() throws SocketTimeoutException {
        long left = nanoTime - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("the deadline has passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.ceilDiv(left, 1_000_000L));
    }

    /** What is left, but no more than {@code limit}. */
    int remainingMillis(Duration limit) throws SocketTimeoutException {
        return (int) Math.min(limit.toMillis(), remainingMillis());
    }
}
