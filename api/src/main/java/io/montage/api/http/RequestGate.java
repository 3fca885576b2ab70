package io.montage.api.http;

import io.micronaut.core.annotation.Nullable;
import io.montage.api.problems.Problem;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Stands between Netty's HTTP decoder and the framework on one connection. Every request head is checked
 * ({@link RequestHeadRules}) and every body counted against its limit before the framework sees them. A request
 * that fails, or a client the {@link SlowClientGuard} finds too slow, is answered here with problem JSON and the
 * connection ends: from then on nothing is handed to the framework, so a request hidden behind the refused one
 * (smuggled in its body, or pipelined) is never processed.
 *
 * <p>HTTP/1.1 answers requests in order, so the refusal waits for the responses to earlier requests still being
 * written, and the framework's own response to the refused request is dropped. If the framework had already begun
 * that response (say a 401 while the body was still arriving), it is let finish and the connection just closes.
 *
 * <p>The framework may also answer a request before its body is all here on its own: a 401 or 429 before an upload
 * is read, a handler that refuses an upload halfway. It would then leave the rest of the body unread and the
 * connection stuck, never reading the next request; so such an answer says {@code Connection: close}, the rest of
 * the body is dropped and the connection ends after it (RFC 9112 9.6: a server that answers before the whole
 * body has arrived closes the connection unless it reads the rest).
 *
 * <p>Closing right after the answer would make the kernel reset the connection if client bytes are still unread,
 * and a reset can destroy the answer before the client reads it; so the connection's output is shut first and
 * what the client still sends is read and dropped for a moment (a "lingering close", as web servers do).
 */
final class RequestGate extends ChannelDuplexHandler {

    private static final long LINGER_MILLIS = 2_000;

    private final RequestHeadRules rules;
    private final BodyLimits bodyLimits;
    private final EdgeResponses responses;
    private final SlowClientGuard guard;

    /** Requests handed to the framework so far; the next one has this index. */
    private long requests;
    private boolean inBody;
    private long bodyBytes;
    private long bodyLimit;
    private String bodyContentType;

    /** Final responses the framework has begun and finished writing; 1xx responses do not count. */
    private long responsesStarted;
    private long responsesCompleted;
    private boolean informational;

    /** The connection is ending: nothing more goes to the framework. */
    private boolean ending;
    /** The answer the gate writes itself before closing, if any. */
    private Problem answer;
    /** The connection ends once this many responses are complete. */
    private long closeAfter;
    private boolean closing;

    RequestGate(RequestHeadRules rules, BodyLimits bodyLimits, EdgeResponses responses, SlowClientGuard guard) {
        this.rules = rules;
        this.bodyLimits = bodyLimits;
        this.responses = responses;
        this.guard = guard;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (ending) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest head) {
            Optional<Problem> problem = rules.check(head);
            if (problem.isPresent()) {
                ReferenceCountUtil.release(msg);
                refuse(ctx, problem.get(), requests);
                return;
            }
            startBody(head);
        }
        if (msg instanceof HttpContent content && !countBody(ctx, content)) {
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void startBody(HttpRequest head) {
        requests++;
        // a request without a body is whole at its head: the framework may answer it before the decoder's empty
        // last content reaches this gate, and that answer is not one "before the body came"
        inBody = HttpUtil.getContentLength(head, 0L) > 0 || HttpUtil.isTransferEncodingChunked(head);
        bodyBytes = 0;
        bodyContentType = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
        bodyLimit = bodyLimits.maxBytes(bodyContentType);
        if (inBody) {
            guard.bodyExpected();
        }
    }

    /** Counts a piece of the current body; false if it was refused (and released) instead of passed on. */
    private boolean countBody(ChannelHandlerContext ctx, HttpContent content) {
        if (content.decoderResult().isFailure()) {
            content.release();
            refuse(ctx, Problem.of(400, "malformed_request", "the chunked body is not valid: each chunk is its size "
                    + "in hex, CRLF, the bytes and CRLF, and a chunk of size 0 ends the body"), requests - 1);
            return false;
        }
        bodyBytes += content.content().readableBytes();
        if (bodyBytes > bodyLimit) {
            content.release();
            refuse(ctx, bodyLimits.tooLarge(bodyContentType), requests - 1);
            return false;
        }
        if (content instanceof LastHttpContent) {
            inBody = false;
            guard.requestReceived();
        }
        return true;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SlowClientGuard.TooSlow tooSlow) {
            refuse(ctx, tooSlow.problem(), inBody ? requests - 1 : requests);
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.fireChannelReadComplete();
        if (ending) {
            ctx.read(); // drain: the framework no longer asks for more
        }
    }

    /**
     * Ends the connection at request number {@code index}: with this problem as its answer, unless the framework
     * has begun its own (then that one is let finish) or the problem is null (then the connection just closes).
     */
    private void refuse(ChannelHandlerContext ctx, @Nullable Problem problem, long index) {
        if (ending) {
            return;
        }
        ending = true;
        guard.stop();
        boolean unanswered = responsesStarted <= index;
        answer = unanswered ? problem : null;
        closeAfter = unanswered ? index : index + 1;
        closeIfDue(ctx);
        ctx.read();
    }

    private void closeIfDue(ChannelHandlerContext ctx) {
        if (!ending || closing || responsesCompleted < closeAfter) {
            return;
        }
        closing = true;
        // without an answer of its own, the framework's last response may still wait unflushed: flushing nothing
        // after it completes once that response is on the wire
        ChannelFuture answered = ctx.writeAndFlush(answer != null ? responses.closing(answer) : Unpooled.EMPTY_BUFFER);
        answered.addListener((ChannelFutureListener) future -> linger(ctx));
    }

    private void linger(ChannelHandlerContext ctx) {
        if (ctx.channel() instanceof DuplexChannel duplex && duplex.isActive()) {
            duplex.shutdownOutput();
        }
        ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        ctx.read();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (ending && responsesCompleted >= closeAfter) {
            ReferenceCountUtil.release(msg);
            promise.tryFailure(new ClosedChannelException()); // this connection takes no more responses
            return;
        }
        if (msg instanceof HttpResponse head) {
            informational = head.status().codeClass() == HttpStatusClass.INFORMATIONAL;
            if (!informational && ++responsesStarted == requests && inBody) {
                head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                refuse(ctx, null, requests - 1); // answered before its body came: the rest is never read
            }
        }
        boolean last = msg instanceof LastHttpContent;
        ctx.write(msg, promise);
        if (last) {
            if (informational) {
                informational = false;
            } else {
                responsesCompleted++;
                closeIfDue(ctx);
                if (!ending && !inBody && responsesCompleted == requests) {
                    guard.answered();
                }
            }
        }
    }
}
