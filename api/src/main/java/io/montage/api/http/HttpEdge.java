package io.montage.api.http;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import jakarta.inject.Singleton;

/**
 * Puts the edge guards into every HTTP/1.1 connection the server accepts, through Micronaut's documented hook
 * (a customizer registered with the server): the {@link SlowClientGuard} before Netty's HTTP decoder, the
 * {@link RequestGate} after it. The decoder itself is replaced by one configured exactly like the framework's
 * (same limits, same header validation) whose headers remember a Content-Length the decoder drops
 * ({@link SentHeaders}). The server speaks HTTP/1.1 only (micronaut.server.http-version is not set); an HTTP/2
 * pipeline has no such decoder and would be left without these guards.
 */
@Singleton
class HttpEdge implements BeanCreatedEventListener<NettyServerCustomizer.Registry>, NettyServerCustomizer {

    private static final String GUARD = "montage-slow-client-guard";
    private static final String GATE = "montage-request-gate";
    private static final String CODEC = ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC;

    private final NettyHttpServerConfiguration server;
    private final HttpEdgeLimits limits;
    private final RequestHeadRules rules;
    private final BodyLimits bodyLimits;
    private final EdgeResponses responses;

    HttpEdge(NettyHttpServerConfiguration server, HttpEdgeLimits limits, RequestHeadRules rules,
             BodyLimits bodyLimits, EdgeResponses responses) {
        this.server = server;
        this.limits = limits;
        this.rules = rules;
        this.bodyLimits = bodyLimits;
        this.responses = responses;
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(this);
        return event.getBean();
    }

    @Override
    public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
        return role == ChannelRole.CONNECTION ? new Connection(channel.pipeline()) : this;
    }

    private HttpServerCodec codec() {
        return new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(server.getMaxInitialLineLength())
                .setMaxHeaderSize(server.getMaxHeaderSize())
                .setMaxChunkSize(server.getMaxChunkSize())
                .setInitialBufferSize(server.getInitialBufferSize())
                .setValidateHeaders(server.isValidateHeaders())
                .setHeadersFactory(SentHeaders.factory(server.isValidateHeaders())));
    }

    /** One accepted connection: its pipeline gets the guards once the framework has built it. */
    private final class Connection implements NettyServerCustomizer {

        private final ChannelPipeline pipeline;

        Connection(ChannelPipeline pipeline) {
            this.pipeline = pipeline;
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (pipeline.get(CODEC) == null || pipeline.get(GATE) != null) {
                return;
            }
            pipeline.replace(CODEC, CODEC, codec());
            SlowClientGuard guard = new SlowClientGuard(limits);
            pipeline.addBefore(CODEC, GUARD, guard);
            pipeline.addAfter(CODEC, GATE, new RequestGate(rules, bodyLimits, responses, guard));
        }
    }
}
