package io.montage.console.collections;

import com.vaadin.flow.server.streams.UploadEvent;
import com.vaadin.flow.server.streams.UploadHandler;
import io.montage.console.access.Feedback;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Receives a playground query image: at most {@code maxBytes}, enforced on the server while reading (the browser's
 * own size check is a courtesy a hostile client skips), then handed to the view in its UI's lock.
 */
final class QueryImageUpload implements UploadHandler {

    private final int maxBytes;
    private final Consumer<byte[]> onImage;

    QueryImageUpload(int maxBytes, Consumer<byte[]> onImage) {
        this.maxBytes = maxBytes;
        this.onImage = onImage;
    }

    @Override
    public void handleUploadRequest(UploadEvent event) throws IOException {
        byte[] image;
        try (InputStream in = event.getInputStream()) {
            image = in.readNBytes(maxBytes + 1);
        }
        if (image.length > maxBytes) {
            String refusal = "The image is over " + maxBytes + " bytes; search with a smaller one.";
            event.reject(refusal);
            event.getUI().access(() -> Feedback.error(refusal));
            return;
        }
        event.getUI().access(() -> onImage.accept(image));
    }

    @Override
    public long getFileSizeMax() {
        return maxBytes;
    }

    @Override
    public long getRequestSizeMax() {
        return maxBytes + 64 * 1024L; // the multipart framing around the one file
    }
}
