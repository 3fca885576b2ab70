package io.montage.worker.fetch;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** An HTTP(S) server on 127.0.0.1: loopback, exactly what a fetcher must refuse unless its operator allows it. */
final class LoopbackServer implements AutoCloseable {

    private final HttpServer server;
    private final String scheme;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final AtomicReference<Headers> lastRequestHeaders = new AtomicReference<>();

    private LoopbackServer(HttpServer server, String scheme) {
        this.server = server;
        this.scheme = scheme;
        server.setExecutor(handlers);
        server.start();
    }

    static LoopbackServer http() {
        try {
            return new LoopbackServer(HttpServer.create(loopback(), 0), "http");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LoopbackServer https(SSLContext tls) {
        try {
            HttpsServer server = HttpsServer.create(loopback(), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            return new LoopbackServer(server, "https");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    LoopbackServer serve(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            lastRequestHeaders.set(exchange.getRequestHeaders());
            try (exchange) {
                handler.handle(exchange);
            }
        });
        return this;
    }

    /** Answers with these bytes and their Content-Length. */
    LoopbackServer serveBytes(String path, byte[] body) {
        return serve(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        });
    }

    /** Answers with these bytes chunked, without a Content-Length. */
    LoopbackServer serveChunked(String path, byte[] body) {
        return serve(path, exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(body);
        });
    }

    LoopbackServer redirect(String path, String location) {
        return serve(path, exchange -> {
            exchange.getResponseHeaders().set("Location", location);
            exchange.sendResponseHeaders(302, -1);
        });
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The URL of a path on 127.0.0.1. */
    String url(String path) {
        return url("127.0.0.1", path);
    }

    /** The URL of a path under another host name, which the test's resolver must map to 127.0.0.1. */
    String url(String host, String path) {
        return scheme + "://" + host + ":" + port() + path;
    }

    int requests() {
        return requests.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    int requests(String path) {
        return requests.getOrDefault(path, new AtomicInteger()).get();
    }

    Headers lastRequestHeaders() {
        return lastRequestHeaders.get();
    }

    @Override
    public void close() {
        handlers.shutdownNow(); // interrupts the handlers that sleep to be slow
        server.stop(0);
    }
}
