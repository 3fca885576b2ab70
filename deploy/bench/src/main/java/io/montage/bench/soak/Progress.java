package io.montage.bench.soak;

import io.montage.bench.bulk.JobClient;
import io.montage.bench.bulk.JobClient.JobState;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The soak's jobs as the api reports them (GET /v1/jobs/{id}); a finished job's last state is kept, not re-read. */
final class Progress {

    private final JobClient client;
    private final List<String> ids = new CopyOnWriteArrayList<>();
    private final List<JobState> finished = new CopyOnWriteArrayList<>();

    Progress(JobClient client) {
        this.client = client;
    }

    void add(String id) {
        ids.add(id);
    }

    /** The state of every job created so far. */
    List<JobState> states() throws IOException, InterruptedException {
        List<JobState> states = new ArrayList<>();
        for (String id : ids) {
            JobState last = finished.stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
            if (last == null) {
                last = client.get(id);
                if (last.terminal()) {
                    finished.add(last);
                }
            }
            states.add(last);
        }
        return states;
    }

    static long done(List<JobState> states) {
        return states.stream().mapToLong(s -> s.succeeded() + s.failed()).sum();
    }
}
