package io.montage.api.http;

import io.montage.api.problems.Problem;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
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

    private Problem refusal;
    private boolean answerRefusal;
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
        if (refusal != null) {
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
        inBody = true;
        bodyBytes = 0;
        bodyContentType = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
        bodyLimit = bodyLimits.maxBytes(bodyContentType);
        if (HttpUtil.getContentLength(head, 0L) > 0 || HttpUtil.isTransferEncodingChunked(head)) {
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
        if (refusal != null) {
            ctx.read(); // drain: the framework no longer asks for more
        }
    }

    /** Ends the connection with this problem as the answer to request number {@code index}. */
    private void refuse(ChannelHandlerContext ctx, Problem problem, long index) {
        if (refusal != null) {
            return;
        }
        refusal = problem;
        guard.stop();
        answerRefusal = responsesStarted <= index;
        closeAfter = answerRefusal ? index : index + 1;
        closeIfDue(ctx);
        ctx.read();
    }

    private void closeIfDue(ChannelHandlerContext ctx) {
        if (refusal == null || closing || responsesCompleted < closeAfter) {
            return;
        }
        closing = true;
        ChannelFuture answered = answerRefusal ? ctx.writeAndFlush(responses.closing(refusal))
                : ctx.newSucceededFuture();
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
        if (refusal != null && responsesCompleted >= closeAfter) {
            ReferenceCountUtil.release(msg);
            promise.tryFailure(new ClosedChannelException()); // this connection takes no more responses
            return;
        }
        if (msg instanceof HttpResponse head) {
            informational = head.status().codeClass() == HttpStatusClass.INFORMATIONAL;
            if (!informational) {
                responsesStarted++;
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
            }
        }
    }
}
