package io.montage.models;

import io.montage.errors.MontageException;
import jakarta.inject.Singleton;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Brings a bundle from where the operator points (a directory, a .zip or .tar.gz, locally or at an http(s) URL)
 * into a staging directory, never writing outside it and never more than {@code maxBundleBytes}.
 */
@Singleton
public class BundleFetcher {

    private final ModelsConfig config;

    public BundleFetcher(ModelsConfig config) {
        this.config = config;
    }

    /** Unpacks {@code source} into {@code staging}; returns the directory that holds the manifest. */
    public Path fetch(String source, Path staging) {
        if (source.isBlank()) { // Path.of("") is the working directory: never copy that
            throw MontageException.invalid("bundle_not_found", "name a bundle: a directory, .zip or .tar.gz, or an "
                    + "http(s) URL");
        }
        try {
            Files.createDirectories(staging);
            if (source.startsWith("http://") || source.startsWith("https://")) {
                Path download = staging.resolveSibling(staging.getFileName() + ".download");
                try {
                    downloadTo(source, download);
                    unpack(download, staging);
                } finally {
                    Files.deleteIfExists(download);
                }
            } else {
                Path path = Path.of(source);
                if (Files.isDirectory(path)) {
                    copyTree(path, staging);
                } else if (Files.isRegularFile(path)) {
                    unpack(path, staging);
                } else {
                    throw MontageException.invalid("bundle_not_found", "no file or directory at " + source);
                }
            }
            return manifestDirectory(staging);
        } catch (IOException e) {
            throw MontageException.invalid("bundle_unreadable", "cannot read the bundle at " + source + ": " + e.getMessage());
        }
    }

    /**
     * Streams an upload into {@code staging} as its (made safe) file name, never more than the bundle limit;
     * returns the file, which {@link #fetch} then unpacks like any archive on disk.
     */
    public Path receive(InputStream upload, String fileName, Path staging) {
        Path file = staging.resolve(safeFileName(fileName));
        try {
            Files.createDirectories(staging);
            try (OutputStream out = Files.newOutputStream(file)) {
                copyLimited(upload, out, 0);
            }
            return file;
        } catch (IOException e) {
            throw MontageException.invalid("bundle_unreadable", "the upload of " + file.getFileName()
                    + " did not arrive whole: " + e.getMessage());
        }
    }

    /** A name of at most 100 characters of {@code A-Z a-z 0-9 . _ -}: one file inside the staging directory. */
    public static String safeFileName(String fileName) {
        String safe = fileName == null ? "" : fileName.replaceAll("[^A-Za-z0-9._-]", "_");
        safe = safe.substring(0, Math.min(safe.length(), 100));
        return safe.isEmpty() || safe.equals(".") || safe.equals("..") ? "upload" : safe;
    }

    private void downloadTo(String url, Path target) throws IOException {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(config.downloadTimeout()).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(config.downloadTimeout()).GET().build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw MontageException.invalid("bundle_download_failed",
                            "GET " + url + " answered " + response.statusCode());
                }
                try (OutputStream out = Files.newOutputStream(target)) {
                    copyLimited(body, out, 0);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading", e);
        }
    }

    private void unpack(Path archive, Path target) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive))) {
            raw.mark(4);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 == 'P' && b1 == 'K') {
                extract(new ZipArchiveInputStream(raw), target);
            } else if (b0 == 0x1f && b1 == 0x8b) {
                extract(new TarArchiveInputStream(new GzipCompressorInputStream(raw)), target);
            } else {
                throw MontageException.invalid("unsupported_bundle_archive",
                        "a bundle is a directory, a .zip or a .tar.gz; " + archive.getFileName() + " is none of them");
            }
        }
    }

    private void extract(ArchiveInputStream<? extends ArchiveEntry> archive, Path target) throws IOException {
        long written = 0;
        ArchiveEntry entry;
        while ((entry = archive.getNextEntry()) != null) {
            Path out = target.resolve(entry.getName()).normalize();
            if (!out.startsWith(target)) {
                throw MontageException.invalid("unsafe_bundle_archive",
                        "archive entry '" + entry.getName() + "' points outside the bundle");
            }
            if (entry.isDirectory()) {
                Files.createDirectories(out);
                continue;
            }
            Files.createDirectories(out.getParent());
            try (OutputStream file = Files.newOutputStream(out)) {
                written = copyLimited(archive, file, written);
            }
        }
    }

    private void copyTree(Path from, Path to) throws IOException {
        long[] written = {0};
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(path -> {
                Path out = to.resolve(from.relativize(path).toString());
                try {
                    if (Files.isDirectory(path)) {
                        Files.createDirectories(out);
                    } else {
                        try (InputStream in = Files.newInputStream(path); OutputStream file = Files.newOutputStream(out)) {
                            written[0] = copyLimited(in, file, written[0]);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Copies, counting towards the bundle limit; returns the new total. */
    private long copyLimited(InputStream in, OutputStream out, long total) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > config.maxBundleBytes()) {
                throw new MontageException(413, "bundle_too_large",
                        "the bundle exceeds montage.models.max-bundle-bytes (" + config.maxBundleBytes() + " bytes)");
            }
            out.write(buffer, 0, n);
        }
        return total;
    }

    /** The manifest sits at the root or in the archive's single top-level directory. */
    private static Path manifestDirectory(Path staging) throws IOException {
        if (Files.isRegularFile(staging.resolve(ModelManifest.FILE_NAME))) {
            return staging;
        }
        try (Stream<Path> children = Files.list(staging)) {
            var dirs = children.filter(Files::isDirectory).toList();
            if (dirs.size() == 1 && Files.isRegularFile(dirs.getFirst().resolve(ModelManifest.FILE_NAME))) {
                return dirs.getFirst();
            }
        }
        throw MontageException.invalid("bundle_manifest_missing",
                "the bundle has no " + ModelManifest.FILE_NAME + " at its root");
    }
}
