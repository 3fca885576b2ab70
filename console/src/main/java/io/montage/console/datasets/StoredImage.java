package io.montage.console.datasets;

import com.vaadin.flow.server.streams.DownloadHandler;
import io.montage.datasets.DatasetSpace;
import io.montage.datasets.Datasets;

import java.util.UUID;

/**
 * A dataset entry's stored image for an {@code <img>}: read from the database when the browser asks for it (the
 * view holds no bytes), the space's row-level security deciding; 404 when the entry is gone.
 */
public final class StoredImage {

    private StoredImage() {
    }

    public static DownloadHandler of(Datasets datasets, DatasetSpace space, UUID versionId, int seq) {
        return event -> {
            byte[] bytes = datasets.image(space, versionId, seq).orElse(null);
            if (bytes == null) {
                event.getResponse().setStatus(404);
                return;
            }
            event.setContentType(Datasets.mediaType(bytes));
            event.getOutputStream().write(bytes);
        };
    }
}
