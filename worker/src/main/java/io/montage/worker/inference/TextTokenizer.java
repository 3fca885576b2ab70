package io.montage.worker.inference;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.montage.models.ModelManifest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The bundle's Hugging Face tokenizer, truncating to the model's context length (inside the tokenizer, so
 * special tokens such as CLIP's end-of-text survive) and padding with the manifest's pad id.
 */
final class TextTokenizer implements AutoCloseable {

    /**
     * One text as the text tower takes it: exactly {@code contextLength} ids and mask values; {@code truncated}
     * when the text had more tokens than that and the rest was dropped.
     */
    record Tokens(long[] ids, long[] mask, boolean truncated) {
        /** Tokens that count (not padding), as usage reports them. */
        int count() {
            int n = 0;
            for (long m : mask) {
                n += (int) m;
            }
            return n;
        }
    }

    private final HuggingFaceTokenizer tokenizer;
    private final int contextLength;
    private final long padId;

    TextTokenizer(Path bundle, ModelManifest.Text text) throws IOException {
        this.tokenizer = HuggingFaceTokenizer.builder()
                .optTokenizerPath(bundle.resolve(text.tokenizer()))
                .optTruncation(true)
                .optMaxLength(text.contextLength())
                .optPadding(false)
                .optAddSpecialTokens(true)
                .build();
        this.contextLength = text.contextLength();
        this.padId = text.padId();
    }

    Tokens tokenize(String text) {
        Encoding encoding = tokenizer.encode(text);
        long[] ids = new long[contextLength];
        long[] mask = new long[contextLength];
        Arrays.fill(ids, padId);
        long[] real = encoding.getIds();
        int n = Math.min(real.length, contextLength);
        System.arraycopy(real, 0, ids, 0, n);
        Arrays.fill(mask, 0, n, 1L);
        return new Tokens(ids, mask, encoding.exceedMaxLength() || real.length > contextLength);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
