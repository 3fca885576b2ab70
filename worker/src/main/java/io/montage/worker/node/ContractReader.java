package io.montage.worker.node;

import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.TaskItem;
import io.montage.jobs.contracts.JobCodec;
import io.montage.jobs.contracts.JobContract;
import io.montage.worker.tasks.Item;
import io.montage.worker.tasks.Task;
import io.montage.worker.tasks.TaskHandler;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a claimed task through its handler's contract: reads the job's parameters and each item's input as the
 * contract's records, and hands the handler a {@link Task} that writes results as the contract's JSON. An item whose
 * input does not read fails alone with {@code invalid_input}; parameters that do not read fail the task (as a
 * handler's exception would).
 */
@Singleton
final class ContractReader {

    private final JobCodec codec;

    ContractReader(JobCodec codec) {
        this.codec = codec;
    }

    <P, I, R> List<ItemOutcome> run(TaskHandler<P, I, R> handler, ClaimedTask claimed, List<TaskItem> items)
            throws Exception {
        JobContract<P, I, R> contract = handler.contract();
        Task<P, R> task = new Task<>(claimed, codec.readParams(contract, claimed.paramsJson()),
                result -> codec.result(contract, result));
        List<ItemOutcome> outcomes = new ArrayList<>(items.size());
        List<Item<I>> readable = new ArrayList<>(items.size());
        for (TaskItem item : items) {
            try {
                readable.add(new Item<>(item.seq(), item.customId(), codec.readInput(contract, item.inputJson(),
                        item.inputBytes())));
            } catch (RuntimeException e) {
                // inputs are written through the same contract, so this means a bug upstream: fail the item alone
                outcomes.add(ItemOutcome.failed(item.seq(), "invalid_input",
                        "the input is not what a " + contract.name() + " item holds"));
            }
        }
        if (!readable.isEmpty()) {
            outcomes.addAll(handler.run(task, readable));
        }
        return outcomes;
    }
}
