package io.montage.api.http;

import io.montage.api.problems.Problem;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Times how a client sends its requests on one connection, against slow-drip attacks ("slowloris") that hold
 * connections open for free. It sits before Netty's HTTP decoder, where it sees raw bytes and the server's requests
 * to read more; the {@link RequestGate} behind the decoder tells it when a head is complete and a body starts or
 * ends.
 *
 * <ul>
 *   <li>A request head (request line and headers) must be complete within the head timeout of its first byte,
 *       however steadily it trickles in.</li>
 *   <li>While a body is arriving, the server may wait at most the stall timeout for more of it. Only time the
 *       server spends asking counts: when the server stops reading because the handler is still busy with what it
 *       has (an upload streaming into the database), the client is not at fault.</li>
 *   <li>Between requests (and while the server works on one, however long inference takes) nothing is timed
 *       here; idle connections are closed by the server's idle timeout.</li>
 * </ul>
 * A client found too slow is reported to the gate (a {@link TooSlow} event), which answers 408 and closes.
 */
final class SlowClientGuard extends ChannelDuplexHandler {

    /** The event that tells the gate to end the connection. */
    record TooSlow(Problem problem) {
    }

    private enum Phase { BETWEEN_REQUESTS, HEAD, BODY, STOPPED }

    private final long headTimeoutNanos;
    private final long stallTimeoutNanos;

    private ChannelHandlerContext ctx;
    private Phase phase = Phase.BETWEEN_REQUESTS;
    private long headStartedAt;
    private boolean readPending;
    private long readRequestedAt;
    private ScheduledFuture<?> check;

    SlowClientGuard(HttpEdgeLimits limits) {
        this.headTimeoutNanos = limits.requestHeadTimeout().toNanos();
        this.stallTimeoutNanos = limits.bodyStallTimeout().toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
            readPending = false;
            if (phase == Phase.BETWEEN_REQUESTS && !onlyLineBreaks(bytes)) {
                phase = Phase.HEAD;
                headStartedAt = System.nanoTime();
                checkIn(headTimeoutNanos);
            }
        }
        ctx.fireChannelRead(msg);
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

    /** The request is complete: the client owes nothing until it starts another. */
    void requestReceived() {
        if (phase != Phase.STOPPED) {
            phase = Phase.BETWEEN_REQUESTS;
            cancelCheck();
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
                    tooSlow(Problem.of(408, "request_timeout", "the request line and headers must arrive within "
                            + seconds(headTimeoutNanos) + " of their first byte"));
                }
            }
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
        check = ctx.executor().schedule(this::check, nanos, TimeUnit.NANOSECONDS);
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
