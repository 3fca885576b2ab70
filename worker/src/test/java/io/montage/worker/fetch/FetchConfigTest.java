package io.montage.worker.fetch;

import io.montage.testing.SharedContext;
import io.montage.worker.images.ImageLimits;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FetchConfigTest {

    @Test
    void theDefaultsFetchWithin20SecondsWhatTheDecoderAccepts() {
        FetchConfig config = SharedContext.bean(FetchConfig.class);

        assertEquals(Duration.ofSeconds(5), config.connectTimeout());
        assertEquals(Duration.ofSeconds(20), config.totalTimeout());
        assertEquals(SharedContext.bean(ImageLimits.class).maxBytes(), config.maxBytes());
        assertEquals(3, config.maxRedirects());
        assertEquals(List.of(), config.allowedCidrs());
        assertEquals("Montage-ImageFetcher/1", config.userAgent());
        SharedContext.bean(ImageFetcher.class); // and the fetcher is wired from them
    }

    @Test
    void aMistypedNetworkFailsAtStartup() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TestFetchers.config("10.1.2.0/24", "10.1.2.5/24"));

        assertTrue(e.getMessage().contains("10.1.2.5/24"), e.getMessage());
    }

    @Test
    void limitsArePositiveAndTheUserAgentIsOneHeaderValue() {
        Duration second = Duration.ofSeconds(1);
        String agent = TestFetchers.USER_AGENT;
        assertThrows(IllegalArgumentException.class, () -> new FetchConfig(Duration.ZERO, second, 1, 0, null, agent));
        assertThrows(IllegalArgumentException.class, () -> new FetchConfig(second, Duration.ZERO, 1, 0, null, agent));
        assertThrows(IllegalArgumentException.class, () -> new FetchConfig(second, second, 0, 0, null, agent));
        assertThrows(IllegalArgumentException.class, () -> new FetchConfig(second, second, 1, -1, null, agent));
        assertThrows(IllegalArgumentException.class,
                () -> new FetchConfig(second, second, 1, 0, null, "Montage\r\nX-Injected: yes"));
        assertEquals(List.of(), new FetchConfig(second, second, 1, 0, null, agent).allowedCidrs());
    }
}
