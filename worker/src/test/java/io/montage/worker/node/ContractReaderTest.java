package io.montage.worker.node;

import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.Priority;
import io.montage.jobs.TaskItem;
import io.montage.jobs.contracts.IngestJob;
import io.montage.jobs.contracts.JobCodec;
import io.montage.jobs.contracts.JobContract;
import io.montage.testing.SharedContext;
import io.montage.worker.tasks.Item;
import io.montage.worker.tasks.Task;
import io.montage.worker.tasks.TaskHandler;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A task's parameters and items reach its handler as its contract's records, and its results leave as its JSON. */
class ContractReaderTest {

    private static final UUID COLLECTION = UUID.fromString("6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b");

    /** Stores nothing: answers each item with its own id, and keeps what it was handed. */
    private static final class Recording implements TaskHandler<IngestJob.Params, IngestJob.Input, IngestJob.Result> {
        final List<IngestJob.Params> params = new ArrayList<>();
        final List<Item<IngestJob.Input>> items = new ArrayList<>();

        @Override
        public JobContract<IngestJob.Params, IngestJob.Input, IngestJob.Result> contract() {
            return IngestJob.CONTRACT;
        }

        @Override
        public List<ItemOutcome> run(Task<IngestJob.Params, IngestJob.Result> task, List<Item<IngestJob.Input>> in) {
            params.add(task.params());
            items.addAll(in);
            return in.stream().map(i -> task.succeeded(i.seq(), new IngestJob.Result(i.input().itemId()))).toList();
        }
    }

    private final ContractReader reader = new ContractReader(SharedContext.bean(JobCodec.class));

    private static ClaimedTask task(String paramsJson) {
        return new ClaimedTask(7, UUID.randomUUID(), UUID.randomUUID(), IngestJob.NAME, Priority.BULK, null,
                paramsJson, 1, 5, UUID.randomUUID(), Instant.now(), 0, null, null);
    }

    @Test
    void storedJsonReachesTheHandlerAsTheContractsRecords() throws Exception {
        Recording handler = new Recording();
        List<ItemOutcome> outcomes = reader.run(handler, task("{\"truncate\":\"end\",\"collection_id\":\"" + COLLECTION
                + "\"}"), List.of(new TaskItem(0, "a", "{\"item_id\":\"a\",\"text\":\"a red car\",\"metadata\":{\"k\":1}}",
                null),
                new TaskItem(1, "b", "{\"item_id\":\"b\",\"image_url\":\"https://example.com/b.jpg\"}", null),
                new TaskItem(2, "c", "{\"item_id\":\"c\",\"image_bytes\":3}", new byte[] {1, 2, 3})));

        assertEquals(List.of(new IngestJob.Params("end", COLLECTION)), handler.params);
        assertEquals("a red car", handler.items.get(0).input().source().text());
        assertEquals(1, handler.items.get(0).input().metadata().get("k").getIntValue());
        assertEquals("https://example.com/b.jpg", handler.items.get(1).input().source().imageUrl());
        assertArrayEquals(new byte[] {1, 2, 3}, handler.items.get(2).input().source().image()); // the bytes column
        assertEquals(List.of(ItemOutcome.succeeded(0, "{\"item_id\":\"a\"}"),
                ItemOutcome.succeeded(1, "{\"item_id\":\"b\"}"), ItemOutcome.succeeded(2, "{\"item_id\":\"c\"}")),
                outcomes);
    }

    @Test
    void anItemWhoseInputDoesNotReadFailsAloneInsteadOfFailingTheTask() throws Exception {
        Recording handler = new Recording();
        List<ItemOutcome> outcomes = reader.run(handler, task("{\"collection_id\":\"" + COLLECTION + "\"}"),
                List.of(new TaskItem(0, "bad", "{not json", null), new TaskItem(1, "wrong", "[1, 2]", null),
                        new TaskItem(2, "good", "{\"item_id\":\"good\",\"text\":\"t\"}", null)));

        assertEquals(List.of("invalid_input", "invalid_input"),
                outcomes.subList(0, 2).stream().map(ItemOutcome::errorCode).toList());
        assertEquals(List.of(2), handler.items.stream().map(Item::seq).toList());
        assertEquals(ItemOutcome.succeeded(2, "{\"item_id\":\"good\"}"), outcomes.get(2));
    }

    @Test
    void parametersThatDoNotReadFailTheTask() {
        assertThrows(RuntimeException.class, () -> reader.run(new Recording(), task("{\"collection_id\":[1]}"),
                List.of(new TaskItem(0, "a", "{\"item_id\":\"a\",\"text\":\"t\"}", null))));
    }
}
