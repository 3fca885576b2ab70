package io.montage.jobs.contracts;

import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.json.JsonCodec;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Writes and reads what a {@link JobContract} names: a job's parameters, its items' inputs and their results. The
 * contracts' records state their own naming and null inclusion, so the JSON is the same in every module whatever
 * its serde settings (the api's are snake_case with explicit nulls, the worker's are Micronaut's defaults).
 */
@Singleton
public class JobCodec {

    private final JsonCodec json;

    public JobCodec(JsonCodec json) {
        this.json = json;
    }

    public <P> String params(JobContract<P, ?, ?> contract, P params) {
        return json.write(params);
    }

    public <P> P readParams(JobContract<P, ?, ?> contract, String paramsJson) {
        return json.read(paramsJson, contract.params());
    }

    public <I> String input(JobContract<?, I, ?> contract, I input) {
        return json.write(input);
    }

    /** An item's input as its record, with the bytes stored beside its JSON put back (null: none). */
    public <I> I readInput(JobContract<?, I, ?> contract, String inputJson, byte[] inputBytes) {
        I input = json.read(inputJson, contract.input());
        if (inputBytes == null) {
            return input;
        }
        if (!(input instanceof CarriesImage<?> carrier)) {
            throw new IllegalArgumentException("a " + contract.name() + " item carries no bytes");
        }
        return contract.input().cast(carrier.withImage(inputBytes));
    }

    public <R> String result(JobContract<?, ?, R> contract, R result) {
        return contract.resultWriter() != null ? contract.resultWriter().write(result) : json.write(result);
    }

    public <R> R readResult(JobContract<?, ?, R> contract, String resultJson) {
        return json.read(resultJson, contract.result());
    }

    /** An item of the contract's type; an inline image's bytes go beside the JSON. */
    public <I> NewItem item(JobContract<?, I, ?> contract, String customId, I input) {
        byte[] bytes = input instanceof CarriesImage<?> carrier ? carrier.image() : null;
        return new NewItem(customId, input(contract, input), bytes, null, null);
    }

    /** A job of the contract's type with its items in memory ({@link NewJob}'s fields, typed). */
    public <P, I> NewJob job(JobContract<P, I, ?> contract, int priority, P params, UUID modelId, Duration retention,
                             List<NewItem> items) {
        return new NewJob(contract.name(), priority, params(contract, params), modelId, retention, items);
    }
}
