package io.montage.jobs.contracts;

/**
 * What the api and the workers agree on for one job type, in the spirit of DJL's {@code Job<I, O>}: the type's name
 * (as jobs and tasks store it), the record its parameters are, the record each item's input is and the record each
 * item's result is. {@link JobCodec} writes and reads all three; the JSON is the one stored in the jobs and items
 * tables and served by the api, so it changes only together with every reader of stored jobs.
 *
 * @param resultWriter writes a result without the codec (a hot path: 512-float vectors per item), or null; it must
 *                     write exactly what the codec would (the contract's test proves it)
 * @param <P>          the job's parameters
 * @param <I>          one item's input
 * @param <R>          one item's result
 */
public record JobContract<P, I, R>(String name, Class<P> params, Class<I> input, Class<R> result,
                                   ResultWriter<R> resultWriter) {

    /** Writes an item's result JSON by hand, for results on a hot path. */
    @FunctionalInterface
    public interface ResultWriter<R> {
        String write(R result);
    }

    /** A contract whose results the codec writes. */
    public JobContract(String name, Class<P> params, Class<I> input, Class<R> result) {
        this(name, params, input, result, null);
    }
}
