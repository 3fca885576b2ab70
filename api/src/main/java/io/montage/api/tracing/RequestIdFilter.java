package io.montage.api.tracing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.montage.api.problems.Problem;

/**
 * First in and last out of every request: assigns its id ({@link RequestIds}), echoes it in {@code X-Request-Id},
 * writes it into a problem body's {@code request_id}, and counts every refusal by its code
 * ({@code montage_api_rejections_total{code,status}}: the codes are the API's fixed vocabulary, so the series stay
 * few). Last out means it sees the answers of the security and rate-limit filters too.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RequestIdFilter implements Ordered {

    static final String REJECTIONS = "montage.api.rejections";

    private final MeterRegistry metrics;

    public RequestIdFilter(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    @RequestFilter
    public void assign(HttpRequest<?> request) {
        RequestIds.of(request);
    }

    @ResponseFilter
    @SuppressWarnings("unchecked")
    public void echo(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String id = RequestIds.of(request);
        response.header(RequestIds.HEADER, id);
        if (response.getBody().orElse(null) instanceof Problem problem) {
            ((MutableHttpResponse<Object>) response).body(problem.withRequestId(id));
            Counter.builder(REJECTIONS).description("Requests answered with a problem, by its code")
                    .tag("code", problem.code()).tag("status", Integer.toString(problem.status()))
                    .register(metrics).increment();
        }
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }
}
