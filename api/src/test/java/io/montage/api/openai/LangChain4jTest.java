package io.montage.api.openai;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.pgvector.PgVectorEmbeddingStore;
import io.montage.api.DemoPlatform;
import io.montage.testing.TestDatabase;
import io.montage.testing.Vectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LangChain4j's OpenAI embedding model, configured as its users configure it for an OpenAI-compatible server (base
 * URL, key, model "default"), against the api and a real worker; its vectors stored and searched in LangChain4j's
 * own pgvector store, in a schema of its own in the platform's database (the same PostgreSQL).
 */
class LangChain4jTest {

    private static final List<String> TEXTS = List.of("sneaker", "Bag!", "zebra", "Café-style purse",
            "A Product Photo of the T-Shirt/Top");
    private static DemoPlatform platform;
    private static OpenAiEmbeddingModel model;

    @BeforeAll
    static void langChainsOpenAiModelAgainstTheDemoPlatform() throws InterruptedException {
        platform = DemoPlatform.get();
        model = OpenAiEmbeddingModel.builder().baseUrl(platform.url() + "/v1").apiKey(platform.key())
                .modelName("default").maxRetries(0).build();
    }

    private static List<TextSegment> segments() {
        return TEXTS.stream().map(TextSegment::from).toList();
    }

    @Test
    void aListOfTextsEmbedsAsPythonDoes() {
        List<Embedding> embeddings = model.embedAll(segments()).content();
        assertEquals(TEXTS.size(), embeddings.size());
        for (int i = 0; i < TEXTS.size(); i++) {
            assertTrue(Vectors.cosine(embeddings.get(i).vector(), DemoReferences.text(TEXTS.get(i))) >= 0.9999,
                    TEXTS.get(i));
        }
    }

    @Test
    void itsPgVectorStoreFindsEachTextByItsEmbedding() throws SQLException {
        PgVectorEmbeddingStore store = PgVectorEmbeddingStore.datasourceBuilder()
                .datasource(TestDatabase.ownerDataSource(platform.database(), "langchain4j"))
                .table("langchain4j_texts").dimension(model.dimension()).createTable(true).build();
        List<TextSegment> segments = segments();
        store.addAll(model.embedAll(segments).content(), segments);
        for (String text : TEXTS) {
            List<EmbeddingMatch<TextSegment>> matches = store.search(EmbeddingSearchRequest.builder()
                    .queryEmbedding(model.embed(text).content()).maxResults(TEXTS.size()).build()).matches();
            assertEquals(TEXTS.size(), matches.size());
            assertEquals(text, matches.getFirst().embedded().text(), "the nearest is the text itself: " + matches);
            assertEquals(1.0, matches.getFirst().score(), 1e-4);
            assertTrue(matches.get(1).score() < matches.getFirst().score(), matches.toString());
        }
    }
}
