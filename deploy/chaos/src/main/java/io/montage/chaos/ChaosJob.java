package io.montage.chaos;

import io.micronaut.json.tree.JsonNode;
import io.montage.jobs.contracts.EchoJob;
import io.montage.jobs.contracts.JobContract;
import io.montage.jobs.contracts.NoParams;

/**
 * Job type "chaos", for fault injection only: each item's input is {@code {"sleep_ms": n}} (a fixed service time,
 * so that the queue and not the cores is what an experiment measures) and may carry {@code "exit": code}, which ends
 * the worker process at once with that status, as the kernel's OOM killer or a decoder's segfault would. The api
 * never offers the type: the harness submits it straight through the queue.
 */
public final class ChaosJob {

    public static final String NAME = "chaos";

    public static final JobContract<NoParams, JsonNode, EchoJob.Result> CONTRACT =
            new JobContract<>(NAME, NoParams.class, JsonNode.class, EchoJob.Result.class);

    private ChaosJob() {
    }
}
