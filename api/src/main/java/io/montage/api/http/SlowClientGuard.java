package io.montage.api.http;

import io.micronaut.core.annotation.Nullable;
import io.montage.api.problems.Problem;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Times how a client sends its requests on one connection, against slow-drip attacks ("slowloris") that hold
 * connections open for free. It sits before Netty's HTTP decoder, where it sees raw bytes and the server's requests
 * to read more; the {@link RequestGate} behind the decoder tells it when a head is complete, a body starts or
 * ends, and when every request has its answer.
 *
 * <ul>
 *   <li>A request head (request line and headers) must be complete within the head timeout: of the connection's
 *       accept for its first request (a connection that sends nothing, or only line breaks, is closed), of its
 *       first byte for a later one, however steadily it trickles in.</li>
 *   <li>While a body is arriving, the server may wait at most the stall timeout for more of it. Only time the
 *       server spends asking counts: when the server stops reading because the handler is still busy with what it
 *       has (an upload streaming into the database), the client is not at fault.</li>
 *   <li>While the server works on a request (however long inference takes) nothing is timed.</li>
 *   <li>Once every request is answered, the connection may wait the idle timeout for its next request.</li>
 * </ul>
 * A client found too slow is reported to the gate (a {@link TooSlow} event), which answers 408 and closes; a
 * connection that owes no started request is closed without an answer (a 408 there could be taken for the answer
 * to a request the client sends at that moment).
 */
final class SlowClientGuard extends ChannelDuplexHandler {

    /** The event that tells the gate to end the connection: with this answer, or none if null. */
    record TooSlow(@Nullable Problem problem) {
    }

    /** IDLE: all answered, awaiting a request; BUSY: the server works, the client owes nothing. */
    private enum Phase { IDLE, HEAD, BODY, BUSY, STOPPED }

    private final long headTimeoutNanos;
    private final long stallTimeoutNanos;
    private final long idleTimeoutNanos;

    private ChannelHandlerContext ctx;
    private Phase phase;
    private long headStartedAt;
    /** Whether a byte of the current head has come (line breaks before a request do not count). */
    private boolean headBegun;
    private boolean readPending;
    private long readRequestedAt;
    private ScheduledFuture<?> check;

    SlowClientGuard(HttpEdgeLimits limits) {
        this.headTimeoutNanos = limits.requestHeadTimeout().toNanos();
        this.stallTimeoutNanos = limits.bodyStallTimeout().toNanos();
        this.idleTimeoutNanos = limits.idleTimeout().toNanos();
    }

    /**
     * Added as the connection is accepted: its first head is due within the head timeout from now. The server has
     * already asked for it (before this guard was there to see it).
     */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        readPending = true;
        readRequestedAt = System.nanoTime();
        startHead(readRequestedAt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
            readPending = false;
            if (!headBegun && phase != Phase.BODY && phase != Phase.STOPPED && !onlyLineBreaks(bytes)) {
                if (phase != Phase.HEAD) {
                    startHead(System.nanoTime());
                }
                headBegun = true;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void startHead(long at) {
        phase = Phase.HEAD;
        headStartedAt = at;
        headBegun = false;
        checkIn(headTimeoutNanos - (System.nanoTime() - at));
    }

    /** Line breaks between requests are allowed (RFC 9112 2.2) and start no request. */
    private static boolean onlyLineBreaks(ByteBuf bytes) {
        return bytes.forEachByte(b -> b == '\r' || b == '\n') == -1;
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (!readPending) {
            readPending = true;
            readRequestedAt = System.nanoTime();
        }
        ctx.read();
    }

    /** The head is complete and a body follows. */
    void bodyExpected() {
        if (phase != Phase.STOPPED) {
            phase = Phase.BODY;
            checkIn(stallTimeoutNanos);
        }
    }

    /** The request is complete: the client owes nothing while the server works on it. */
    void requestReceived() {
        if (phase != Phase.STOPPED) {
            phase = Phase.BUSY;
            headBegun = false;
            cancelCheck();
        }
    }

    /** Every request received so far is answered: the connection now waits for the client's next one. */
    void answered() {
        if (phase == Phase.BUSY) {
            phase = Phase.IDLE;
            checkIn(idleTimeoutNanos);
        }
    }

    /** The connection is ending; nothing more to time. */
    void stop() {
        phase = Phase.STOPPED;
        cancelCheck();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void check() {
        check = null;
        long now = System.nanoTime();
        switch (phase) {
            case HEAD -> {
                long left = headStartedAt + headTimeoutNanos - now;
                if (left > 0 || !readPending) {
                    checkIn(left > 0 ? left : headTimeoutNanos);
                } else {
                    tooSlow(headBegun ? Problem.of(408, "request_timeout", "the request line and headers must "
                            + "arrive within " + seconds(headTimeoutNanos) + " of the connection or of their "
                            + "first byte") : null);
                }
            }
            case IDLE -> tooSlow(null); // checked once, the idle timeout after the last answer
            case BODY -> {
                long left = readRequestedAt + stallTimeoutNanos - now;
                if (!readPending || left > 0) {
                    checkIn(readPending ? left : stallTimeoutNanos);
                } else {
                    tooSlow(Problem.of(408, "request_timeout", "the request body stalled: no bytes arrived for "
                            + seconds(stallTimeoutNanos)));
                }
            }
            default -> {
            }
        }
    }

    private void tooSlow(Problem problem) {
        stop();
        ctx.fireUserEventTriggered(new TooSlow(problem));
    }

    private void checkIn(long nanos) {
        cancelCheck();
        check = ctx.executor().schedule(this::check, Math.max(nanos, 0), TimeUnit.NANOSECONDS);
    }

    private void cancelCheck() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    private static String seconds(long nanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
